package dcm.remote;

import dcm.config.ServerTls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** The TLS context {@code serve} answers HTTPS with: the key and certificate of the configured keystore. */
public final class TlsContexts {
    private TlsContexts() {}

    /**
     * The server's context, or null when {@code use_ssl} is off; a keystore that cannot be read is an error naming
     * the file and the reason (never the password).
     */
    public static SSLContext server(ServerTls tls, Path projectDir) {
        if (!tls.useSsl()) {
            return null;
        }
        Path file = projectDir.resolve(tls.keystore());
        char[] password = tls.keystorePassword().toCharArray();
        try (InputStream in = Files.newInputStream(file)) {
            // PKCS#12 by default; the JDK's keystore reads JKS files too
            KeyStore ks = KeyStore.getInstance(file.toString().endsWith(".jks") ? "JKS" : "PKCS12");
            ks.load(in, password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage();
            throw new IllegalArgumentException("[http_server_config] ssl_keystore " + file + " cannot be used: " + why
                    + " (a PKCS#12 file with the server's key and certificate, and its ssl_keystore_password)", e);
        }
    }
}

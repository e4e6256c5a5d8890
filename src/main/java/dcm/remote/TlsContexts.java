package dcm.remote;

import dcm.config.ServerTls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** The TLS context {@code serve} answers HTTPS with: the key and certificate of the configured keystore. */
public final class TlsContexts {
    private TlsContexts() {}

    /**
     * The server's context, or null when {@code use_ssl} is off; a keystore that cannot be read, or holds no private
     * key, is an error naming the file and the reason (never the password).
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
            requireKey(ks, file);
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

    /**
     * A keystore without a private key (only trusted certificates, or nothing) loads, and the TLS context is made
     * from it, but every handshake fails: refused here, at start, with how to make one.
     */
    private static void requireKey(KeyStore ks, Path file) throws GeneralSecurityException {
        List<String> aliases = Collections.list(ks.aliases());
        for (String alias : aliases) {
            if (ks.isKeyEntry(alias)) {
                return;
            }
        }
        throw new IllegalArgumentException("[http_server_config] ssl_keystore " + file + " holds no private key ("
                + (aliases.isEmpty() ? "it is empty" : "only trusted certificate(s): " + String.join(", ", aliases))
                + "): serve needs its own key and certificate to answer HTTPS. Make them with: keytool -genkeypair"
                + " -alias serve -keyalg RSA -keysize 2048 -validity 365 -dname CN=<host> -ext SAN=dns:<host>"
                + " -storetype PKCS12 -keystore " + file + " -storepass <ssl_keystore_password> (a certificate"
                + " signed by a CA: keytool -importcert its chain under the same alias)");
    }
}

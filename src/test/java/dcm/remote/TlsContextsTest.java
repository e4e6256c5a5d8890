package dcm.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.ChildProcess;
import dcm.TestProjects;
import dcm.config.ServerTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serve's keystore: one holding only a trusted certificate is refused at start, not at every handshake. */
class TlsContextsTest {
    private static final String PASSWORD = "ks-pass-123";

    @TempDir
    Path dir;

    @Test
    void aKeystoreWithoutAPrivateKeyIsRefusedAtStartOneWithAKeyIsUsed() {
        keytool("-genkeypair", "-alias", "serve", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-storetype", "PKCS12", "-keystore", dir.resolve("key.p12").toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-alias", "serve", "-keystore", dir.resolve("key.p12").toString(), "-storepass",
                PASSWORD, "-file", dir.resolve("serve.crt").toString());
        keytool("-importcert", "-noprompt", "-alias", "serve", "-file", dir.resolve("serve.crt").toString(),
                "-storetype", "PKCS12", "-keystore", dir.resolve("trust.p12").toString(), "-storepass", PASSWORD);

        assertNotNull(TlsContexts.server(new ServerTls(true, "key.p12", PASSWORD), dir));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsContexts.server(new ServerTls(true, "trust.p12", PASSWORD), dir));
        String m = e.getMessage();
        assertTrue(m.contains(dir.resolve("trust.p12").toString()), m);
        assertTrue(m.contains("no private key") && m.contains("trusted certificate") && m.contains("serve"), m);
        assertTrue(m.contains("keytool -genkeypair"), m);
        assertTrue(!m.contains(PASSWORD), m);
    }

    private static void keytool(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                "keytool").toString()));
        command.addAll(List.of(args));
        TestProjects.Run r = ChildProcess.run(Duration.ofSeconds(60), Map.of(), command);
        assertEquals(0, r.exitCode(), r.out() + r.err());
    }
}

package dcm.config;

/**
 * How {@code serve} speaks TLS ({@code [http_server_config] use_ssl}, {@code ssl_keystore},
 * {@code ssl_keystore_password}): off, or HTTPS with the key and certificate of a PKCS#12 (or JKS) keystore.
 * {@link #toString()} never shows the password.
 *
 * @param useSsl           whether serve answers HTTPS only
 * @param keystore         the keystore file (relative paths are from the project folder), "" when off
 * @param keystorePassword its password (and its key's)
 */
public record ServerTls(boolean useSsl, String keystore, String keystorePassword) {
    /** No TLS. */
    public static final ServerTls OFF = new ServerTls(false, "", "");

    /** {@code https} or {@code http}. */
    public String scheme() {
        return useSsl ? "https" : "http";
    }

    @Override
    public String toString() {
        return "ServerTls[" + (useSsl ? "on, keystore=" + keystore + (keystorePassword.isEmpty() ? ""
                : ", password=****") : "off") + "]";
    }
}

package dcm.config;

import java.util.List;
import java.util.Locale;

/**
 * {@code [redpanda_config]}: the Kafka-compatible broker, topic defaults, and how clients authenticate (Moose's
 * {@code security_protocol}, {@code sasl_mechanism}, {@code sasl_username}, {@code sasl_password}; empty when not
 * set: plain connections). Its {@link #toString()} never shows the password.
 */
public record BrokerConfig(String broker, int messageTimeoutMs, long retentionMs, int replicationFactor,
                           String namespace, String securityProtocol, String saslMechanism, String saslUsername,
                           String saslPassword) {
    /** The protocols Kafka clients speak; the empty string stands for PLAINTEXT. */
    public static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    /** The SASL mechanisms a name and a password are enough for. */
    public static final List<String> MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

    public BrokerConfig {
        securityProtocol = securityProtocol == null ? "" : securityProtocol.strip().toUpperCase(Locale.ROOT);
        saslMechanism = saslMechanism == null ? "" : saslMechanism.strip().toUpperCase(Locale.ROOT);
        saslUsername = saslUsername == null ? "" : saslUsername;
        saslPassword = saslPassword == null ? "" : saslPassword;
    }

    /** A broker reached in plain text, without authentication. */
    public BrokerConfig(String broker, int messageTimeoutMs, long retentionMs, int replicationFactor,
                        String namespace) {
        this(broker, messageTimeoutMs, retentionMs, replicationFactor, namespace, "", "", "", "");
    }

    /** The host part of {@link #broker()}. */
    public String host() {
        int colon = broker.lastIndexOf(':');
        return colon < 0 ? broker : broker.substring(0, colon);
    }

    /** The port part of {@link #broker()}. */
    public int port() {
        int colon = broker.lastIndexOf(':');
        return colon < 0 ? 9092 : Integer.parseInt(broker.substring(colon + 1));
    }

    /** The protocol clients use: {@code security_protocol}, PLAINTEXT when not set. */
    public String protocol() {
        return securityProtocol.isEmpty() ? "PLAINTEXT" : securityProtocol;
    }

    /** True when clients authenticate with SASL (SASL_PLAINTEXT or SASL_SSL). */
    public boolean sasl() {
        return protocol().startsWith("SASL_");
    }

    /** The password is shown as {@code ****} when one is set: this string goes into messages and logs. */
    @Override
    public String toString() {
        return "BrokerConfig[broker=" + broker + ", messageTimeoutMs=" + messageTimeoutMs + ", retentionMs="
                + retentionMs + ", replicationFactor=" + replicationFactor + ", namespace=" + namespace
                + ", securityProtocol=" + protocol()
                + (saslMechanism.isEmpty() ? "" : ", saslMechanism=" + saslMechanism)
                + (saslUsername.isEmpty() ? "" : ", saslUsername=" + saslUsername)
                + (saslPassword.isEmpty() ? "" : ", saslPassword=****") + "]";
    }
}

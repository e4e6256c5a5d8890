package dcm.config;

/** {@code [redpanda_config]}: the Kafka-compatible broker and topic defaults. */
public record BrokerConfig(String broker, int messageTimeoutMs, long retentionMs, int replicationFactor,
                           String namespace) {
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
}

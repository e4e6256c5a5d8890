// UserEvents: what users do. A pipeline: POST /ingest/UserEvents/<version> -> topic -> table.
enum EventType { SIGNUP, LOGIN, PURCHASE, LOGOUT }

record UserEvent(@Key String eventId, String userId, EventType type, Instant at,
                 Optional<Double> amount, List<String> tags) {}

new IngestPipeline<>("UserEvents", UserEvent.class)
        .orderBy("userId", "at")
        .partitions(2);

package dcm.core;

/** A broker topic a model version wants. */
public record TopicSpec(String name, int partitions, long retentionMs, LifeCycle lifeCycle) {
    public TopicSpec {
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("topic '" + name + "' is not a valid topic name");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be at least 1");
        }
    }
}

package dcm.sync;

import dcm.ingest.Schema;
import java.util.function.Supplier;

/**
 * What one sync lands where, and under which names: the topic (and how to ask for its id: it changes when the
 * topic is deleted and created again), the table and its schema, the consumer group its progress is committed
 * under, and the lease (with this process's owner name) that makes it the table's only sync.
 */
record SyncTarget(String topic, Supplier<String> topicId, String table, Schema schema, String group, String lease,
                  String owner) {}

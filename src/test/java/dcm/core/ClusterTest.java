package dcm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The cluster's engine spellings, and the way back from a replicated engine to the model's. */
class ClusterTest {
    @Test
    void engineKeepsTheModelsArgumentsAfterPathAndReplica() {
        Cluster c = new Cluster("dcm");
        assertEquals("ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/db/t', '{replica}', (a, b))",
                c.engine("SummingMergeTree((a, b))", "db", "t"));
        assertEquals("ReplicatedCollapsingMergeTree('/clickhouse/tables/{shard}/db/t', '{replica}', sign)",
                c.engine("CollapsingMergeTree(sign)", "db", "t"));
        assertEquals("ReplicatedMergeTree('/clickhouse/tables/{shard}/db/t', '{replica}')", c.engine("MergeTree()",
                "db", "t"));
        assertEquals("MergeTree()", Cluster.NONE.engine("MergeTree", "db", "t"));
        assertEquals(" ON CLUSTER `dcm`", c.on());
        assertEquals("", Cluster.NONE.on());
        assertThrows(IllegalArgumentException.class, () -> new Cluster("a`b"));
    }

    @Test
    void liveReplicatedEnginesMapToTheModels() {
        assertEquals("MergeTree", Cluster.modelEngine("ReplicatedMergeTree"));
        assertEquals("ReplacingMergeTree", Cluster.modelEngine("ReplicatedReplacingMergeTree"));
        assertEquals("MergeTree", Cluster.modelEngine("MergeTree"));
        assertTrue(Cluster.isReplicated("ReplicatedAggregatingMergeTree"));
        assertFalse(Cluster.isReplicated("MergeTree"));
    }

    @Test
    void unreplicatedDropsPathAndReplicaAndKeepsTheRest() {
        assertEquals("MergeTree() ORDER BY id SETTINGS index_granularity = 8192", Cluster.unreplicated(
                "ReplicatedMergeTree('/clickhouse/tables/{shard}/t1/a', '{replica}') ORDER BY id SETTINGS"
                        + " index_granularity = 8192"));
        assertEquals("ReplacingMergeTree(v) PARTITION BY toYYYYMM(at) ORDER BY (id, at)", Cluster.unreplicated(
                "ReplicatedReplacingMergeTree('/p/(x)', '{replica}', v) PARTITION BY toYYYYMM(at) ORDER BY (id, at)"));
        assertEquals(" ( id String,  c String DEFAULT 'a ENGINE = b') ENGINE = MergeTree() ORDER BY id",
                Cluster.unreplicatedCreate(" ( id String,  c String DEFAULT 'a ENGINE = b') ENGINE ="
                        + " ReplicatedMergeTree('/p', '{replica}') ORDER BY id"));
        assertEquals("MergeTree() ORDER BY id", Cluster.unreplicated("MergeTree() ORDER BY id"));
    }
}

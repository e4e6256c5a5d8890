package dcm.core.plan;

import static dcm.core.plan.Fixtures.col;
import static dcm.core.plan.Fixtures.lcol;
import static dcm.core.plan.Fixtures.live;
import static dcm.core.plan.Fixtures.model;
import static dcm.core.plan.Fixtures.plan;
import static dcm.core.plan.Fixtures.view;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.core.LifeCycle;
import dcm.core.live.LiveState;
import dcm.core.live.LiveTable;
import dcm.core.plan.Finding.Code;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Planning on a cluster: the live Replicated engine is the model's MergeTree; no rebuild is planned there. */
class ClusterPlanTest {
    private static final PlanOptions ON_CLUSTER = PlanOptions.DEFAULT.withCluster("dcm");

    private static LiveTable replicated(String name, String sortingKey, String engine) {
        return new LiveTable(name, engine, List.of(lcol("id", "String"), lcol("n", "Int32")), sortingKey, sortingKey,
                "", "");
    }

    private static LiveState liveWith(String engine, String sortingKey) {
        return live().made(replicated("U_1_0", sortingKey, engine))
                .made(view("U", "U_1_0", lcol("id", "String"), lcol("n", "Int32"))).build();
    }

    @Test
    void aReplicatedTableIsTheModelsMergeTreeOnACluster() {
        var m = model("U", col("id", "String"), col("n", "Int32"));
        Plan p = plan(ON_CLUSTER, liveWith("ReplicatedMergeTree", "id"), m);
        assertTrue(p.isEmpty(), Fixtures.lines(p).toString());
        assertTrue(p.findings().isEmpty(), p.findings().toString());
    }

    @Test
    void replicationThatDoesNotMatchTheSettingIsAConflictNotARebuild() {
        var m = model("U", col("id", "String"), col("n", "Int32"));
        Plan notReplicated = plan(ON_CLUSTER, liveWith("MergeTree", "id"), m);
        assertTrue(notReplicated.isEmpty(), Fixtures.lines(notReplicated).toString());
        assertEquals(Code.CONFLICT, notReplicated.findings().get(0).code());
        assertTrue(notReplicated.findings().get(0).message().contains("clusters makes the tables Replicated"));
        Plan withoutCluster = plan(PlanOptions.DEFAULT, liveWith("ReplicatedMergeTree", "id"), m);
        assertTrue(withoutCluster.isEmpty(), Fixtures.lines(withoutCluster).toString());
        assertEquals(Code.CONFLICT, withoutCluster.findings().get(0).code());
    }

    @Test
    void aRebuildIsRefusedOnAClusterWithTheReason() {
        var m = model("U", LifeCycle.FULLY_MANAGED, List.of("n"), col("id", "String"), col("n", "Int32"));
        Plan p = plan(ON_CLUSTER, liveWith("ReplicatedMergeTree", "id"), m);
        assertTrue(p.operations().stream().noneMatch(o -> o instanceof Operation.RebuildTable), p.toString());
        Finding refused = p.blocked().stream().filter(f -> f.code() == Code.UNSUPPORTED).findFirst().orElseThrow();
        assertTrue(refused.message().contains("not done on a cluster (dcm)"), refused.message());
        assertTrue(refused.message().contains("ORDER BY"), refused.message());
        Plan single = plan(PlanOptions.DEFAULT, live().made(new LiveTable("U_1_0", "MergeTree", List.of(lcol("id",
                "String"), lcol("n", "Int32")), "id", "id", "", "")).build(), m);
        assertTrue(single.operations().stream().anyMatch(o -> o instanceof Operation.RebuildTable));
    }

    @Test
    void newTopicsTakeTheConfiguredReplicationFactor() {
        Plan p = plan(new PlanOptions(false, 3), live().build(), Fixtures.stream("C", 2, 1000));
        Operation.CreateTopic c = (Operation.CreateTopic) p.operations().stream()
                .filter(o -> o instanceof Operation.CreateTopic).findFirst().orElseThrow();
        assertEquals(3, c.replicationFactor());
        assertTrue(new SqlGen("local", dcm.core.Dialect.MODERN).statements(c).get(0).contains("replication=3"));
    }
}

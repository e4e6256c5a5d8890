package dcm.reliability;

import java.util.List;

/**
 * Where the HTTP load test of the ingest routes plugs in: {@code scripts/bench ingest} (a bounded, loopback-only
 * load generator built separately) will report requests per second held, p99 latency and errors here. Until it is
 * there the case is SKIP, which fails nothing.
 */
final class IngestLoad implements Reliability.Group {
    private final Suite suite;

    IngestLoad(Suite suite) {
        this.suite = suite;
    }

    @Override
    public String name() {
        return "ingest load";
    }

    @Override
    public List<Case> cases() {
        return List.of(new Case("load: HTTP ingest routes (scripts/bench ingest)", "load", true,
                () -> Outcome.skip("plugs in here: the ingest route load generator (scripts/bench ingest) is built"
                        + " separately; seed " + suite.seed())));
    }
}

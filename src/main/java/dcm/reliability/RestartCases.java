package dcm.reliability;

import java.util.List;

final class RestartCases implements Reliability.Group {
    private final Suite suite;

    RestartCases(Suite suite) {
        this.suite = suite;
    }

    @Override
    public String name() {
        return "RestartCases";
    }

    @Override
    public List<Case> cases() {
        return List.of();
    }
}

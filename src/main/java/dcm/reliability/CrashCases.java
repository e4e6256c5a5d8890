package dcm.reliability;

import java.util.List;

final class CrashCases implements Reliability.Group {
    private final Suite suite;

    CrashCases(Suite suite) {
        this.suite = suite;
    }

    @Override
    public String name() {
        return "CrashCases";
    }

    @Override
    public List<Case> cases() {
        return List.of();
    }
}

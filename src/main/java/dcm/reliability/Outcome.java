package dcm.reliability;

/** One case's result: whether it passed, and its evidence (the error text the shell showed, or the row counts). */
public record Outcome(Status status, String evidence) {
    /** PASS and FAIL are verdicts; SKIP marks a case whose part of the suite is not there yet (it fails nothing). */
    public enum Status { PASS, FAIL, SKIP }

    /** A passed case with what showed it. */
    public static Outcome pass(String evidence) {
        return new Outcome(Status.PASS, evidence);
    }

    /** A failed case with what was seen instead. */
    public static Outcome fail(String evidence) {
        return new Outcome(Status.FAIL, evidence);
    }

    /** A case not run, with the reason. */
    public static Outcome skip(String why) {
        return new Outcome(Status.SKIP, why);
    }
}

package dcm.app;

import dcm.core.plan.Plan;
import dcm.core.plan.SqlGen;
import dcm.jshell.Diagnostic;
import dcm.jshell.ModelWorkspace.LoadReport;
import java.nio.file.Path;
import java.util.List;

/** What the migration use cases return: facts for the shell to render, as text or JSON. */
public final class Outcomes {
    private Outcomes() {}

    /**
     * A plan and everything that qualifies it.
     *
     * @param plan        the operations, findings and blocked changes
     * @param load        the models' load state it was made from (incomplete: the plan plans no drop and nothing
     *                    on unsure models)
     * @param sqlProblems what ClickHouse refuses of the models' SQL, at the models' lines (apply refuses while any)
     * @param interrupted rebuilds, backfills and view replacements a crash cut off, which the next apply finishes first
     * @param sql         the SQL generator for showing the statements, or null when not asked for
     * @param savedTo     where the plan was saved, or null (not asked, or refused)
     * @param planId      the plan's id (what its apply is journaled under)
     */
    public record PlanOutcome(Plan plan, LoadReport load, List<Diagnostic> sqlProblems, int interrupted, SqlGen sql,
                              Path savedTo, String planId) {
        public PlanOutcome {
            sqlProblems = List.copyOf(sqlProblems);
        }

        /** True when apply could run this plan: the models loaded completely and ClickHouse accepts their SQL. */
        public boolean applicable() {
            return load.complete() && sqlProblems.isEmpty();
        }
    }

    /**
     * What an apply did.
     *
     * @param planId  the plan's id in the journal
     * @param applied how many operations ran (0 when there was nothing to do)
     * @param millis  how long it took
     * @param plan    the plan that was applied (or found to have nothing to do)
     * @param nothing why nothing was applied (already at target, only findings left), or null
     */
    public record ApplyOutcome(String planId, int applied, long millis, Plan plan, String nothing) {}

    /** What happened in one dev round. */
    public enum DevState {
        /** The models did not load completely: nothing applied. */
        INCOMPLETE,
        /** ClickHouse refuses the models' SQL: nothing applied. */
        SQL_REFUSED,
        /** Nothing to do (findings may remain). */
        UP_TO_DATE,
        /** Operations were applied (drops only with consent). */
        APPLIED,
        /** An operation failed; the next round or apply continues. */
        FAILED
    }

    /**
     * One dev round.
     *
     * @param state       what happened
     * @param load        the load state the round saw
     * @param sqlProblems what ClickHouse refuses, when {@code state} is SQL_REFUSED
     * @param shown       the plan shown for review this round, or null (nothing new to show)
     * @param applied     operations applied
     * @param leftDrops   destructive operations left for {@code apply --allow-destructive}
     * @param failure     the failure, when {@code state} is FAILED
     */
    public record DevRound(DevState state, LoadReport load, List<Diagnostic> sqlProblems, Plan shown, int applied,
                           int leftDrops, AppError failure) {}
}

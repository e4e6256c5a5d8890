package dcm.sync;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The batches a sync had in flight when it stopped, as its last commits name them ({@link MarkMetadata#batches}),
 * and what the query log says of each ({@link QueryLogCheck}, asked once for all of them). Per partition, the
 * batches that landed are skipped: batches are inserted in order, one after the other, and a batch is inserted only
 * once the one before it landed, so the ones that landed come first, and each covers its partition's records from
 * the end of the one before (or the committed offset) to its own end, whatever of it was dead-lettered.
 */
final class InFlightBatches {
    /**
     * A partition's verdict: read on from {@code from}; {@code decided} when every batch in flight there is known
     * to have landed or not ({@code lastEnd}: the end of the last of them); {@code rest}: those not skipped, when
     * not decided (carried on in the metadata).
     */
    record Outcome(long from, boolean decided, long lastEnd, List<MarkMetadata.Pending> rest) {}

    private final Map<TopicPartition, List<MarkMetadata.Pending>> batches = new HashMap<>();
    /** The verdicts by hash; null when the server keeps no query log. */
    private final Map<String, QueryLogCheck.Verdict> verdicts;
    private final Set<String> landed = new LinkedHashSet<>();
    private final Set<String> notLanded = new LinkedHashSet<>();
    private long landedOffsets;

    /**
     * Reads the batches beyond each partition's start (committed, or landed log) and asks the query log ({@code
     * queryLog}: {@link QueryLogCheck#check}) once for all of them.
     */
    InFlightBatches(java.util.function.Function<Map<String, Long>, Map<String, QueryLogCheck.Verdict>> queryLog,
                    Map<TopicPartition, OffsetAndMetadata> committedAt,
                    Map<Integer, Long> landedLog, Map<TopicPartition, Long> ends) {
        Map<String, Long> handed = new HashMap<>();
        committedAt.forEach((tp, o) -> {
            long at = o == null ? -1 : o.offset();
            long start = Math.max(0, Math.max(at, landedLog.getOrDefault(tp.partition(), -1L)));
            List<MarkMetadata.Pending> mine = new ArrayList<>(MarkMetadata.batches(o).stream()
                    .filter(b -> b.end() > start).toList());
            mine.sort(Comparator.comparingLong(MarkMetadata.Pending::end));
            if (!mine.isEmpty()) {
                batches.put(tp, mine);
                mine.forEach(b -> handed.merge(b.hash(), b.at(), Math::min));
            }
        });
        this.verdicts = handed.isEmpty() ? Map.of() : queryLog.apply(handed);
    }

    /** Where a partition's reading goes on from ({@code start}: past what is committed or landed by the log). */
    Outcome decide(TopicPartition tp, long start) {
        List<MarkMetadata.Pending> mine = batches.getOrDefault(tp, List.of()).stream()
                .filter(b -> b.end() > start).toList();
        if (mine.isEmpty()) {
            return new Outcome(start, false, -1, List.of());
        }
        if (verdicts == null) {
            return new Outcome(start, false, -1, mine);
        }
        long from = start;
        int i = 0;
        for (; i < mine.size() && verdicts.get(mine.get(i).hash()) == QueryLogCheck.Verdict.LANDED; i++) {
            landed.add(mine.get(i).hash());
            landedOffsets += mine.get(i).end() - from;
            from = mine.get(i).end();
        }
        List<MarkMetadata.Pending> rest = mine.subList(i, mine.size());
        boolean decided = rest.stream().allMatch(b -> verdicts.get(b.hash()) == QueryLogCheck.Verdict.NOT_LANDED);
        if (decided) {
            rest.forEach(b -> notLanded.add(b.hash()));
        }
        return new Outcome(from, decided, mine.get(mine.size() - 1).end(), decided ? List.of() : List.copyOf(rest));
    }

    /** What the query log told (for `sync status`), or empty when no batch was in flight. */
    String report() {
        if (landed.isEmpty() && notLanded.isEmpty()) {
            return "";
        }
        return "the sync stopped with batches in flight; the query log says " + landed.size() + " of them landed ("
                + landedOffsets + " record offset(s), not inserted again) and " + notLanded.size() + " did not (read"
                + " again). ";
    }

    /** Why the batches still uncertain could not be decided (appended to the possible duplicates), or empty. */
    String whyUnsure() {
        if (batches.isEmpty()) {
            return "";
        }
        return verdicts == null ? "; the server keeps no query log to tell: enable <query_log> in its config"
                : "; the query log could not tell: a part of it landed, its insert never ended, or ClickHouse"
                + " restarted since";
    }
}

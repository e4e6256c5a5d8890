package dcm.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcm.config.BrokerConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A waiter's outcome when it cannot wait for its group: an {@link Ingestor} without producers of its own, whose
 * groups the test forms with {@link Ingestor#nextGroup} as a producer would (and then holds them: a commit that
 * does not end). An interrupted waiter whose batch is still queued takes it out (not sent); one whose batch a group
 * holds cannot say (outcome unknown); and no wait is longer than its bounds.
 */
class IngestorTest {
    private static final BrokerConfig NOWHERE = new BrokerConfig("127.0.0.1:1", 1_000, 1_000L, 1, "t");

    private static Ingestor ingestor() {
        return new Ingestor(NOWHERE, new Ingestor.Settings(0, 1_000, 1L << 20, 0, false, 100, 1L << 20));
    }

    private static Batch one(String value) {
        return new Batch("t", "f".getBytes(StandardCharsets.UTF_8), java.util.Arrays.asList((String) null),
                List.of(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** Runs the wait on its own thread, interrupted, and answers what it threw. */
    private static Throwable awaitInterrupted(Ingestor ingestor, CompletableFuture<Void> f) throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                ingestor.await(f, Ingestor.QUEUED_MILLIS);
            } catch (Throwable e) {
                thrown.set(e);
            }
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        t.start();
        t.interrupt();
        t.join(30_000);
        assertFalse(t.isAlive(), "the interrupted waiter returned");
        assertEquals(Boolean.TRUE, stillInterrupted.get(), "the interrupt stays set");
        return thrown.get();
    }

    @Test
    void anInterruptedWaiterWhoseBatchIsQueuedTakesItOutAsNotSent() throws Exception {
        try (Ingestor ingestor = ingestor()) {
            CompletableFuture<Void> f = ingestor.submit(one("{\"a\":1}"));
            Throwable e = awaitInterrupted(ingestor, f);
            assertInstanceOf(IllegalStateException.class, e, String.valueOf(e));
            assertFalse(e instanceof Ingestor.OutcomeUnknown, e.getMessage());
            assertTrue(e.getMessage().contains("nothing of this request was sent"), e.getMessage());
            assertEquals(0, ingestor.waiting(), "its room is free");
            assertTrue(ingestor.nextGroup(0).isEmpty(), "no group takes it afterwards (it would be committed)");
        }
    }

    @Test
    void anInterruptedWaiterWhoseBatchAGroupHoldsSaysTheOutcomeIsUnknown() throws Exception {
        try (Ingestor ingestor = ingestor()) {
            CompletableFuture<Void> f = ingestor.submit(one("{\"a\":1}"));
            List<Ingestor.Pending> group = ingestor.nextGroup(0);
            assertEquals(1, group.size());
            Throwable e = awaitInterrupted(ingestor, f);
            assertInstanceOf(Ingestor.OutcomeUnknown.class, e, String.valueOf(e));
            group.forEach(ingestor::release);
        }
    }

    @Test
    void aWaitForAGroupWhoseCommitDoesNotEndIsBounded() throws Exception {
        try (Ingestor ingestor = ingestor()) {
            CompletableFuture<Void> f = ingestor.submit(one("{\"a\":1}"));
            List<Ingestor.Pending> group = ingestor.nextGroup(0);
            assertEquals(1, group.size());
            Throwable e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> org.junit.jupiter.api.Assertions.assertThrows(Ingestor.OutcomeUnknown.class,
                            () -> ingestor.await(f, 50, 200)));
            assertTrue(e.getMessage().contains("may or may not have been accepted"), e.getMessage());
            group.forEach(ingestor::release);
        }
    }

    @Test
    void aBatchNoGroupTookFailsAsNotSentAfterItsQueuedTime() throws Exception {
        try (Ingestor ingestor = ingestor()) {
            CompletableFuture<Void> f = ingestor.submit(one("{\"a\":1}"));
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> ingestor.await(f, 50, 200));
            assertFalse(e instanceof Ingestor.OutcomeUnknown, e.getMessage());
            assertEquals(0, ingestor.waiting());
        }
    }

    @Test
    void theCommitBoundFollowsTheProducersTimeouts() {
        java.util.Properties p = new dcm.kafka.KafkaClients(NOWHERE).transactionalProperties("x");
        assertEquals(2 * 15_000 + 30_000 + 5_000, ProducerLimits.commitMillis(p));
    }

    @Test
    void aRecordLargerThanTheProducerSendsIsRefusedAloneBeforeItJoinsAGroup() throws Exception {
        long max = ProducerLimits.maxRecordBytes(new dcm.kafka.KafkaClients(NOWHERE).transactionalProperties("x"));
        assertEquals((1 << 20) - ProducerLimits.RECORD_OVERHEAD, max, "kafka-clients' max.request.size, less room");
        try (Ingestor ingestor = ingestor()) {
            String big = "{\"v\":\"" + "x".repeat(1 << 20) + "\"}";
            Batch batch = new Batch("t", "f".getBytes(StandardCharsets.UTF_8), java.util.Arrays.asList("k0", "k1"),
                    List.of("{\"a\":1}".getBytes(StandardCharsets.UTF_8), big.getBytes(StandardCharsets.UTF_8)));
            Ingestor.RecordTooLarge e = org.junit.jupiter.api.Assertions.assertThrows(Ingestor.RecordTooLarge.class,
                    () -> ingestor.submit(batch));
            assertEquals(1, e.record());
            assertTrue(e.bytes() > 1 << 20, e.getMessage());
            assertTrue(e.getMessage().startsWith("record 1 is " + e.bytes() + " bytes"), e.getMessage());
            assertEquals(0, ingestor.waiting(), "nothing of it waits");
            assertTrue(ingestor.nextGroup(0).isEmpty(), "no group holds it");
            // the largest record that fits is taken
            String fits = "x".repeat((int) (max - "{\"v\":\"\"}".length() - Schema.HEADER.length() - 1 - 2));
            ingestor.submit(new Batch("t", "f".getBytes(StandardCharsets.UTF_8), java.util.Arrays.asList("k0"),
                    List.of(("{\"v\":\"" + fits + "\"}").getBytes(StandardCharsets.UTF_8))));
            assertEquals(1, ingestor.nextGroup(0).size());
        }
    }
}

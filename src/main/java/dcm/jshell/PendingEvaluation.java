package dcm.jshell;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The evaluation a load served from the cache still owes: the model files' bytes the cache's key covers, evaluated in
 * a fresh JShell session either on a background thread (after the prompt shows) or on the first thread that needs
 * it (a Java line, the record classes, a setting no cache entry has). Evaluating twice at once is never done: JShell
 * resources reach the shell through one static hand-off ({@link dcm.api.ModelRegistry}).
 */
final class PendingEvaluation {
    private final Map<String, byte[]> contents;
    private final String key;
    private final long timeoutMillis;
    private final CompletableFuture<Evaluation.Result> result = new CompletableFuture<>();
    private Thread thread;
    private volatile boolean abandoned;

    PendingEvaluation(Map<String, byte[]> contents, String key, long timeoutMillis) {
        this.contents = contents;
        this.key = key;
        this.timeoutMillis = timeoutMillis;
    }

    /** The cache key of the contents evaluated. */
    String key() {
        return key;
    }

    /** Starts the evaluation on a daemon thread (once); {@code whenDone} runs on that thread after it. */
    synchronized void startInBackground(Runnable whenDone) {
        if (thread != null) {
            return;
        }
        thread = new Thread(() -> {
            evaluate();
            if (!abandoned) {
                whenDone.run();
            }
        }, "models-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether the evaluation runs on a background thread and has not ended yet. */
    synchronized boolean runningInBackground() {
        return thread != null && thread.getName().equals("models-warmup") && !result.isDone();
    }

    /** Whether the calling thread is the one evaluating in the background. */
    boolean onItsThread() {
        return Thread.currentThread() == thread;
    }

    /** The result: evaluated now on this thread when nothing started it, else waited for. */
    Evaluation.Result await() {
        boolean here;
        synchronized (this) {
            here = thread == null;
            if (here) {
                thread = Thread.currentThread();
            }
        }
        if (here) {
            evaluate();
        }
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the model files were evaluated", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the model files could not be evaluated: " + e.getCause(), e.getCause());
        }
    }

    /** Never needed: a running evaluation's session is closed when it ends; none is started any more. */
    synchronized void abandon() {
        abandoned = true;
        if (thread == null) {
            thread = Thread.currentThread();
            result.cancel(false);
        } else {
            result.thenAccept(r -> r.runner().close());
        }
    }

    private void evaluate() {
        SnippetRunner runner = null;
        try {
            runner = new SnippetRunner(timeoutMillis);
            result.complete(Evaluation.run(runner, contents, Map.of(), new ScriptMappings()));
        } catch (RuntimeException | Error e) {
            if (runner != null) {
                runner.close();
            }
            result.completeExceptionally(e);
        }
    }
}

package dcm.shell;

import dcm.app.Servers;
import dcm.jshell.ModelWorkspace;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What Ctrl-C does to the command running now: its own stop actions first (a command that can stop at a safe point),
 * else cancelling it outright (its thread, its Java snippet, its ClickHouse statements). Lock-free: Ctrl-C arrives on
 * the signal thread while the command's thread holds whatever it holds.
 */
final class CommandCancel {
    private final ModelWorkspace workspace;
    private final Servers servers;
    private final List<Runnable> interruptActions = new CopyOnWriteArrayList<>();
    private volatile Thread commandThread;
    private volatile boolean cancelled;

    CommandCancel(ModelWorkspace workspace, Servers servers) {
        this.workspace = workspace;
        this.servers = servers;
    }

    /** See {@link Session#onInterrupt}. */
    Runnable onInterrupt(Runnable action) {
        interruptActions.add(action);
        return () -> interruptActions.remove(action);
    }

    /** See {@link Session#interrupt}. */
    void interrupt() {
        boolean again = cancelled;
        cancelled = true;
        if (!again && !interruptActions.isEmpty()) {
            interruptActions.forEach(Runnable::run);
            return;
        }
        if (workspace.stopSnippet()) {
            // a Java snippet runs: stopping it ends the command; an interrupt of the thread waiting for it would end
            // the wait and leave the snippet running
            return;
        }
        Thread t = commandThread;
        if (t != null) {
            t.interrupt();
            // the KILLs are HTTP calls: off the signal thread, so Ctrl-C returns at once
            Thread killer = new Thread(() -> servers.cancelQueries(t), "cancel-queries");
            killer.setDaemon(true);
            killer.start();
        }
    }

    void commandStarts() {
        cancelled = false;
        commandThread = Thread.currentThread();
    }

    void commandEnds() {
        commandThread = null;
        Thread.interrupted();
    }

    boolean cancelled() {
        return cancelled;
    }
}

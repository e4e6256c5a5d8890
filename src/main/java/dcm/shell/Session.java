package dcm.shell;

import dcm.api.ModelAssembler;
import dcm.clickhouse.ClickHouse;
import dcm.config.ProjectConfig;
import dcm.core.Dialect;
import dcm.core.ModelSpec;
import dcm.infra.Infra;
import dcm.jshell.ModelWorkspace;
import dcm.kafka.Broker;
import dcm.app.Servers;
import dcm.app.ModelsInForce;
import dcm.config.ConfigLoader;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state one shell run works on: the project config, its models, and (connected on first use) ClickHouse, the
 * broker and the local infrastructure. Shared by the REPL and batch runs alike.
 */
public final class Session implements AutoCloseable, dcm.app.JavaData.Live {
    private volatile ProjectConfig config;
    private final Map<String, String> env;
    private final ModelWorkspace workspace;
    private final ModelsInForce inForce = new ModelsInForce(this, this::learnDialect);
    private final PrintStream notes;
    private final boolean interactive;
    private final Servers servers;
    private Throwable lastError;
    private boolean exitRequested;
    private PrintStream progress;
    private java.util.function.Function<String, String> asker;
    private final CommandCancel cancel;
    private dcm.sync.SyncManager sync;
    private dcm.ingest.Ingestor ingestor;
    private dcm.ingest.IngestServer server;
    /** What {@link dcm.api.Dcm} reaches in the JShell session (the same JVM): this shell, until it closes. */
    private final dcm.api.Dcm.Backend javaData = new dcm.app.JavaData(this);

    /**
     * @param env         the environment the config was read with (its overrides apply when it is read again)
     * @param notes       where progress notes go (stderr in batch, the terminal in the REPL)
     * @param autoInfra   start local servers on demand when nothing answers at a local address
     * @param interactive whether a person is at a terminal (questions may be asked)
     */
    public Session(ProjectConfig config, Map<String, String> env, PrintStream notes, boolean autoInfra,
                   boolean interactive) {
        this.config = config;
        this.env = Map.copyOf(env);
        this.notes = notes;
        this.interactive = interactive;
        this.workspace = new ModelWorkspace(config.projectDir(), new ModelAssembler.Settings(config.version(),
                config.broker().namespace(), config.broker().retentionMs(), Dialect.MODERN));
        workspace.useCache(new dcm.jshell.LoadCache(config.projectDir()), this::note);
        this.servers = new Servers(config, autoInfra, this::note, this::useDialect);
        this.cancel = new CommandCancel(workspace, servers);
        dcm.api.Dcm.install(javaData);
    }

    @Override
    public ProjectConfig config() {
        return config;
    }

    @Override
    public ModelWorkspace workspace() {
        return workspace;
    }

    /** The environment the shell was started with (its config overrides, DCM_ADMIN_TOKEN). */
    public Map<String, String> env() {
        return env;
    }

    public boolean interactive() {
        return interactive;
    }

    /**
     * Reads {@code moose.config.toml} again (after {@code bump} or {@code retire}) and puts the models at its version
     * without a new JShell session; the syncs follow the versions in force. Server settings changed in the file take
     * effect at the next start (the clients stay connected where they are), and a note says so.
     */
    @Override
    public synchronized ModelWorkspace.LoadReport reloadConfig() {
        ProjectConfig before = config;
        ProjectConfig next = ConfigLoader.load(before.projectDir(), env);
        if (!next.clickhouse().equals(before.clickhouse()) || !next.broker().equals(before.broker())) {
            note("note: the server settings in moose.config.toml changed; this shell keeps the servers it uses until"
                    + " it is started again");
        }
        config = next;
        ModelWorkspace.LoadReport r = workspace.useVersion(next.version());
        followVersions();
        return r;
    }

    /**
     * Every model version in force, old versions first: those of {@code [supported_old_versions]} (from their
     * snapshots) and the latest, with the tables and topics of unchanged versions shared ({@code Users@1.1} on
     * {@code Users_1_0} until Users changes). Without old versions: the models as loaded.
     */
    @Override
    public List<ModelSpec> models() {
        return inForce.all();
    }

    /** The latest version of each model, resolved as in {@link #models()}. */
    public List<ModelSpec> latestModels() {
        return inForce.latest();
    }

    /** The model versions the syncs land: one per table and topic (see {@link ModelsInForce#forSyncs()}). */
    public List<ModelSpec> syncModels() {
        return inForce.forSyncs();
    }

    /**
     * The schema a version's records are validated against: its fields, and the conversions later versions make of
     * its values.
     */
    @Override
    public dcm.ingest.Schema schema(ModelSpec m) {
        return inForce.schema(m);
    }

    /** A model by bare name, its latest version (case-sensitive first, then ignoring case). */
    public Optional<ModelSpec> model(String name) {
        String bare = name.contains("@") ? name.substring(0, name.indexOf('@')) : name;
        List<ModelSpec> latest = latestModels();
        return latest.stream().filter(m -> m.name().equals(bare)).findFirst()
                .or(() -> latest.stream().filter(m -> m.name().equalsIgnoreCase(bare)).findFirst());
    }

    /**
     * The first load of a run: from the cache ({@code .moose/model-cache.json}) when no model file changed since a
     * complete load, without starting JShell; otherwise the files are evaluated (see {@link ModelWorkspace#load}).
     */
    public ModelWorkspace.LoadReport load() {
        return workspace.load();
    }

    /** Re-evaluates the model files. */
    public ModelWorkspace.LoadReport reload() {
        return workspace.reload();
    }

    /**
     * Reloads the models when a model file was added, removed or edited since they were loaded, and says so: a
     * command never works on models older than the files.
     */
    public void reloadIfChanged() {
        List<String> changed = workspace.changedSinceLoad();
        if (changed.isEmpty()) {
            return;
        }
        ModelWorkspace.LoadReport r = reload();
        note(String.join(", ", changed) + " changed: reloaded " + r.models().size() + " model(s) in " + r.millis()
                + " ms" + (r.ok() ? "" : ", " + r.diagnostics().size() + " problem(s) (`reload` shows them)"));
    }

    /** The models' state now: the last load, with what the prompt defined since. */
    public ModelWorkspace.LoadReport loadState() {
        return workspace.state();
    }

    /** The servers (clients, readiness, local infrastructure). */
    public Servers servers() {
        return servers;
    }

    /** The ClickHouse client, without checking that the server answers. */
    public ClickHouse clickhouseClient() {
        return servers.clickhouseClient();
    }

    /** The local infrastructure manager. */
    public Infra infra() {
        return servers.infra();
    }

    /** ClickHouse, answering (see {@link Servers#clickhouse()}); the models switch to the server's dialect. */
    @Override
    public ClickHouse clickhouse() {
        return servers.clickhouse();
    }

    /** The broker, answering (see {@link Servers#broker()}). */
    @Override
    public Broker broker() {
        return servers.broker();
    }

    /** Forgets that the servers answered (after `infra down`). */
    public void serversChanged() {
        servers.changed();
    }

    /** Learns the server's types when ClickHouse answers, without starting one. */
    public void learnDialect() {
        servers.learnDialect();
    }

    /** Records that ClickHouse answered with this dialect. */
    public void useDialect(Dialect dialect) {
        workspace.useDialect(dialect).forEach(d -> note("warning: " + d.render()));
    }

    /** Where step-by-step progress of long commands goes as it happens (null: nowhere). */
    public void progressTo(PrintStream out) {
        this.progress = out;
    }

    /** Prints one progress line, e.g. {@code [2/5] + Users_1_0: age: Int32}. */
    public void progress(String line) {
        if (progress != null) {
            progress.println(line);
            progress.flush();
        }
    }

    /**
     * Registers what Ctrl-C does for the command running now (e.g. leave dev mode, stop serving) until the returned
     * restore is run; Ctrl-C also cancels the command's queries and Java snippet (see {@link #interrupt()}).
     */
    public Runnable onInterrupt(Runnable action) {
        return cancel.onInterrupt(action);
    }

    /**
     * Ctrl-C while a command runs. A command that can stop at a safe point (apply between steps, dev, serve) gets
     * its stop action at the first Ctrl-C; otherwise, and at a second Ctrl-C, the command is cancelled now: its
     * thread interrupted out of any wait, its Java snippet stopped, its statements killed on ClickHouse (not those
     * of the background syncs). The shell itself goes on.
     */
    public void interrupt() {
        cancel.interrupt();
    }

    /** Cancels whatever this shell runs on ClickHouse now (when the shell is ended by a signal). */
    public void cancelQueries() {
        servers.cancelQueries(null);
    }

    /** Marks the start of a command on this thread (what Ctrl-C interrupts). */
    public void commandStarts() {
        cancel.commandStarts();
    }

    /** Marks the end of a command; an interrupt it did not consume is cleared, so the next command starts clean. */
    public void commandEnds() {
        cancel.commandEnds();
    }

    /** True once Ctrl-C was pressed during the running command: long commands stop at their next safe point. */
    public boolean cancelled() {
        return cancel.cancelled();
    }

    /** Installs how questions reach a person (the REPL's line reader); none in batch runs. */
    public void askWith(java.util.function.Function<String, String> asker) {
        this.asker = asker;
    }

    /** Asks a yes/no question; false when nobody can answer (batch). */
    public boolean confirm(String question, String yes) {
        if (asker == null) {
            return false;
        }
        String answer = asker.apply(question + " ");
        return answer != null && answer.strip().equalsIgnoreCase(yes);
    }

    /** A progress or warning note for the user (never part of JSON output). */
    public void note(String text) {
        notes.println(text);
        notes.flush();
    }

    public Throwable lastError() {
        return lastError;
    }

    public void lastError(Throwable t) {
        this.lastError = t;
    }

    public boolean exitRequested() {
        return exitRequested;
    }

    public void requestExit() {
        this.exitRequested = true;
    }

    /** The background syncs (created on first use). */
    public synchronized dcm.sync.SyncManager sync() {
        if (sync == null) {
            sync = new dcm.sync.SyncManager(config, clickhouse(), broker(), config.syncBatchRows(),
                    config.syncBatchDelayMs());
        }
        return sync;
    }

    /**
     * After an apply created tables or topics: in the REPL (or while syncs already run, as under `serve`) the new
     * model versions get their syncs too. Problems are notes, not failures of the apply.
     */
    public void syncNewVersions() {
        if (!interactive && sync == null) {
            return;
        }
        try {
            int n = startSyncs();
            if (n > 0) {
                progress(n + " new sync(s) running");
            }
        } catch (RuntimeException e) {
            note("syncs not started: " + e.getMessage());
        }
    }

    /** Starts the syncs of every model version whose table and topic exist; returns how many started. */
    public int startSyncs() {
        return sync().start(syncModels(), this::schema);
    }

    /** After the versions in force changed: the syncs of versions no longer supported stop, new ones start. */
    private void followVersions() {
        dcm.sync.SyncManager running;
        synchronized (this) {
            running = sync;
        }
        if (running == null) {
            return;
        }
        java.util.Set<String> refs = new java.util.HashSet<>();
        syncModels().forEach(m -> refs.add(m.ref()));
        running.stopExcept(refs).forEach(ref -> note("sync of " + ref + " stopped: that version is no longer"
                + " supported"));
        syncNewVersions();
    }

    /** The transactional producers for ingest (created on first use). */
    @Override
    public synchronized dcm.ingest.Ingestor ingestor() {
        if (ingestor == null) {
            broker();
            ingestor = new dcm.ingest.Ingestor(config.broker(), 2);
        }
        return ingestor;
    }

    /** The running ingest HTTP server, or null. */
    public synchronized dcm.ingest.IngestServer server() {
        return server;
    }

    /** Records the running ingest server (null when stopped). */
    public synchronized void server(dcm.ingest.IngestServer s) {
        this.server = s;
    }

    /** Prints a progress bar line in place (interactive only). */
    public void progressInline(String text) {
        if (progress != null && interactive) {
            progress.print("\r" + text);
            progress.flush();
        }
    }

    @Override
    public void close() {
        dcm.api.Dcm.uninstall(javaData);
        if (server != null) {
            server.close();
        }
        if (sync != null) {
            sync.close();
        }
        if (ingestor != null) {
            ingestor.close();
        }
        workspace.close();
        servers.close();
    }
}

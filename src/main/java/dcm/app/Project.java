package dcm.app;

import dcm.clickhouse.ClickHouse;
import dcm.config.ProjectConfig;
import dcm.jshell.ModelWorkspace;
import dcm.kafka.Broker;

/**
 * What the use cases work on: the project's config, its models, and the servers. The shell's session is one; a
 * test can be another.
 */
public interface Project {
    ProjectConfig config();

    /** The models and their load state. */
    ModelWorkspace workspace();

    /** ClickHouse, answering (started locally when that is how the project is run). */
    ClickHouse clickhouse();

    /** The broker, answering. */
    Broker broker();

    /**
     * Reads {@code moose.config.toml} again (after {@code bump} or {@code retire} edited it): {@link #config()} is the
     * new one from then on, and the models are at its {@code [project] version}, the JShell session kept. Returns the
     * models' state. A project that cannot (a fixed config) refuses.
     */
    default ModelWorkspace.LoadReport reloadConfig() {
        throw new UnsupportedOperationException("this project cannot read its config again");
    }
}

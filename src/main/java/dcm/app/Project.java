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
}

package dcm.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything read from {@code moose.config.toml} (after environment overrides).
 *
 * @param projectDir     the folder holding the config and {@code models/}
 * @param version        {@code [project] version}: the current model version
 * @param clickhouse     {@code [clickhouse_config]}
 * @param broker         {@code [redpanda_config]}
 * @param httpHost       {@code [http_server_config] host}
 * @param httpPort       {@code [http_server_config] port}
 * @param oldVersions    {@code [supported_old_versions]}: version to git commit
 * @param adminApiKey    {@code [authentication] admin_api_key} (a salted hash of the admin token), or null
 * @param httpTls        {@code [http_server_config] use_ssl} and its keystore
 * @param ignoreLowCardinality {@code [migration_config] ignore_low_cardinality}: plan LowCardinality(T) and T as equal
 * @param syncBatchRows {@code [sync_config] batch_rows}: rows per insert of a sync under a backlog (a batch is
 *                      due once it holds that many: the poll that filled it may add as many again at most)
 * @param syncBatchDelayMs {@code [sync_config] batch_delay_ms}: the longest a record waits for its batch
 * @param syncMemoryMb  {@code [sync_config] memory_mb}: what all syncs of a process may hold in batches and fetch
 *                      buffers together (each gets an equal share)
 * @param sqlTimeoutSeconds {@code [shell_config] sql_timeout_seconds}: how long `sql` typed at the prompt may run
 *                       on the server before it stops it (0: no limit; scripts and -c have none)
 * @param warnings       keys that were ignored, with a suggestion
 */
public record ProjectConfig(Path projectDir, String version, ClickHouseConfig clickhouse, BrokerConfig broker,
                            String httpHost, int httpPort, Map<String, String> oldVersions, String adminApiKey,
                            ServerTls httpTls, boolean ignoreLowCardinality, int syncBatchRows, long syncBatchDelayMs,
                            int syncMemoryMb, int sqlTimeoutSeconds, List<String> warnings) {
    public ProjectConfig {
        oldVersions = Map.copyOf(oldVersions);
        warnings = List.copyOf(warnings);
    }

    @Override
    public String toString() {
        return "ProjectConfig[" + projectDir + ", version=" + version + ", " + clickhouse + ", " + broker
                + ", http=" + httpHost + ":" + httpPort + ", oldVersions=" + oldVersions
                + (adminApiKey == null ? "" : ", admin_api_key=****") + ", " + httpTls + "]";
    }
}

package dcm.app;

import dcm.app.AppError.Code;
import dcm.clickhouse.ClickHouse;
import dcm.config.ProjectConfig;
import dcm.core.Dialect;
import dcm.infra.Infra;
import dcm.kafka.Broker;
import java.util.List;
import java.util.function.Consumer;

/**
 * The project's ClickHouse and broker: clients made on first use, each checked once to answer (and started
 * locally, when the project runs that way and nothing answers at a local address). A broker that listens but is
 * slow is waited for, not taken for absent.
 */
public final class Servers implements AutoCloseable {
    /** How long a broker that listens may take to answer before a command gives up on it. */
    private static final long BROKER_PATIENCE_MS = 60_000;
    private final ProjectConfig config;
    private final boolean autoInfra;
    private final Consumer<String> notes;
    private final Consumer<Dialect> dialects;
    private volatile ClickHouse clickhouse;
    private Broker broker;
    private Infra infra;
    private boolean clickhouseReady;
    private boolean brokerReady;

    /**
     * @param autoInfra start local servers when nothing answers at a local address
     * @param notes     where progress notes go (starting a server)
     * @param dialects  told the server's dialect once ClickHouse answered (the models' types follow it)
     */
    public Servers(ProjectConfig config, boolean autoInfra, Consumer<String> notes, Consumer<Dialect> dialects) {
        this.config = config;
        this.autoInfra = autoInfra;
        this.notes = notes;
        this.dialects = dialects;
    }

    /** The ClickHouse client, without checking that the server answers. */
    public synchronized ClickHouse clickhouseClient() {
        if (clickhouse == null) {
            clickhouse = new ClickHouse(config.clickhouse());
        }
        return clickhouse;
    }

    /** The broker client, without checking that it answers. */
    public synchronized Broker brokerClient() {
        if (broker == null) {
            broker = new Broker(config.broker());
        }
        return broker;
    }

    /** The local infrastructure manager. */
    public synchronized Infra infra() {
        if (infra == null) {
            infra = new Infra(config, clickhouseClient(), brokerClient());
        }
        return infra;
    }

    /** ClickHouse, answering: started locally first when nothing answers and auto-start is on. */
    public synchronized ClickHouse clickhouse() {
        ClickHouse ch = clickhouseClient();
        if (!clickhouseReady) {
            var problem = ch.probe();
            if (problem.isPresent() && !problem.get().unreachable()) {
                // something answers there and refuses (a login, a setting): another server would not help
                throw new AppError(Code.CLICKHOUSE_REFUSED, "ClickHouse at " + config.clickhouse().endpoint()
                        + " answers but refuses: " + problem.get().getMessage(), List.of(), "check [clickhouse_config]"
                        + " user and password (MOOSE_CLICKHOUSE_CONFIG__PASSWORD)");
            }
            if (problem.isPresent()) {
                if (!autoInfra || !Infra.isLocal(config.clickhouse().host())) {
                    throw new AppError(Code.CLICKHOUSE_ABSENT, "ClickHouse does not answer at "
                            + config.clickhouse().endpoint(), List.of(), "run `infra up` to start a local one, or fix"
                            + " [clickhouse_config] in moose.config.toml");
                }
                infra().upClickHouse(notes);
            }
            clickhouseReady = true;
            dialects.accept(ch.dialect());
        }
        return ch;
    }

    /** The broker, answering: started locally first when nothing listens and auto-start is on. */
    public synchronized Broker broker() {
        Broker b = brokerClient();
        if (!brokerReady) {
            Broker.Probe p = b.probe(BROKER_PATIENCE_MS);
            if (!p.answers()) {
                if (p.listening() && p.problem() != null && p.waitedMillis() < BROKER_PATIENCE_MS) {
                    throw new AppError(Code.BROKER_REFUSED, "the broker at " + config.broker().broker() + " refuses:"
                            + " " + p.problem(), List.of(), "check [redpanda_config] security_protocol,"
                            + " sasl_mechanism, sasl_username and sasl_password");
                }
                if (p.listening()) {
                    throw new AppError(Code.BROKER_SLOW, "the broker at " + config.broker().broker() + " accepts"
                            + " connections but did not answer in " + p.waitedMillis() / 1000 + " s", p.problem()
                            == null ? List.of() : List.of("last error: " + p.problem()), "it is starting, or the"
                            + " machine is very busy: try again; `infra status` shows what answers");
                }
                if (!autoInfra || !Infra.isLocal(config.broker().host())) {
                    throw new AppError(Code.BROKER_ABSENT, "no broker answers at " + config.broker().broker()
                            + " (nothing listens there)", List.of(), "run `infra up` to start a local one, or fix"
                            + " [redpanda_config] broker");
                }
                infra().upBroker(notes);
            }
            brokerReady = true;
        }
        return b;
    }

    /** Forgets that the servers answered (after `infra down`). */
    public synchronized void changed() {
        clickhouseReady = false;
        brokerReady = false;
    }

    /**
     * Learns the server's dialect if ClickHouse answers, without starting or installing one (for commands that need
     * only the broker); when it does not, the models keep the newest types.
     */
    public synchronized void learnDialect() {
        if (clickhouseReady) {
            return;
        }
        try {
            ClickHouse ch = clickhouseClient();
            if (ch.answers()) {
                clickhouseReady = true;
                dialects.accept(ch.dialect());
            }
        } catch (RuntimeException e) {
            // ClickHouse unusable: the records are validated for the newest types, and again by the sync
        }
    }

    /**
     * Cancels what runs on ClickHouse now through this project's client: every statement (the shell ending), or
     * those of one thread (Ctrl-C on a command; the syncs go on). Takes no lock: a probe may hold this object's.
     */
    public void cancelQueries(Thread thread) {
        ClickHouse ch = clickhouse;
        if (ch != null) {
            if (thread == null) {
                ch.cancelRunning();
            } else {
                ch.cancelRunning(thread);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (clickhouse != null) {
            clickhouse.close();
        }
        if (broker != null) {
            broker.close();
        }
    }
}

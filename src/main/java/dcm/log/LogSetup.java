package dcm.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Logback's configuration, in code (found through {@code META-INF/services}, so no XML is parsed at start-up): the
 * shell's own events at INFO and everything else (the Kafka clients, ClickHouse's client) at WARN, into
 * {@code .moose/logs/dcm.log} of the project, rolled at 5 MB and kept as 3 older files. Nothing goes to the terminal.
 * Before {@link LogFiles#use} named a project (unit tests, benchmarks) nothing is logged at all.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_TOP_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
    static final String APPENDER = "dcm-file";
    static final long MAX_BYTES = 5L * 1024 * 1024;
    static final int KEPT = 3;

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        attach(context, LogFiles.dir());
        LogFiles.configured(context);
        // never logback's default (everything at DEBUG on the console)
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Points the log at {@code dir} (its {@code dcm.log}), replacing the file it wrote before; null: no log. */
    static synchronized void attach(LoggerContext context, Path dir) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        var old = root.getAppender(APPENDER);
        if (old != null) {
            root.detachAppender(old);
            old.stop();
        }
        if (dir == null) {
            root.setLevel(Level.OFF);
            return;
        }
        root.setLevel(Level.WARN);
        context.getLogger("dcm").setLevel(Level.INFO);
        // client-v2 says this at every request for 30 s after one failed connection (a server still starting):
        // hundreds of lines a minute from a sync; the shell reports unreachable servers itself
        context.getLogger("com.clickhouse.client.api.transport.ClientNodeSelector").setLevel(Level.ERROR);
        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(context);
        file.setName(APPENDER);
        file.setFile(dir.resolve("dcm.log").toString());
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(file);
        rolling.setFileNamePattern(dir.resolve("dcm.%i.log").toString());
        rolling.setMinIndex(1);
        rolling.setMaxIndex(KEPT);
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(new FileSize(MAX_BYTES));
        trigger.start();
        LineLayout layout = new LineLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        file.setRollingPolicy(rolling);
        file.setTriggeringPolicy(trigger);
        file.setEncoder(encoder);
        file.start();
        root.addAppender(file);
    }

    /**
     * One line per event, {@code 2026-11-30T15:34:59.002Z INFO  [thread] Logger: message}, then the exception's class
     * and message (no stack trace: `--debug` shows those); written by hand rather than by a pattern, whose parser
     * and converters cost start-up time. Every line passes through {@link LogFiles#mask}: no configured password or
     * token reaches the file.
     */
    static final class LineLayout extends LayoutBase<ILoggingEvent> {
        @Override
        public String doLayout(ILoggingEvent e) {
            String logger = e.getLoggerName();
            StringBuilder b = new StringBuilder(128).append(Instant.ofEpochMilli(e.getTimeStamp())).append(' ');
            String level = e.getLevel().toString();
            b.append(level).append(" ".repeat(Math.max(1, 6 - level.length()))).append('[').append(e.getThreadName())
                    .append("] ").append(logger.substring(logger.lastIndexOf('.') + 1)).append(": ")
                    .append(e.getFormattedMessage());
            if (e.getThrowableProxy() != null) {
                b.append(" (").append(e.getThrowableProxy().getClassName()).append(": ")
                        .append(e.getThrowableProxy().getMessage()).append(')');
            }
            return LogFiles.mask(b.append('\n').toString());
        }
    }
}

package dcm.shell;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that hides secrets in a command line before it is echoed anywhere (the REPL's history, a batch
 * run's error location, {@code --json}'s {@code command}): the {@code --token} value (the only option that takes a
 * secret), a password in a URL's user part, a password in SQL's {@code IDENTIFIED ... BY '...'}, and every
 * configured secret the log masks. A token seen here is also added to the log's masked values, so whatever later
 * quotes it (an error message, a stack trace) never shows it.
 */
final class CommandLineSecrets {
    /** {@code --token VALUE}, {@code --token=VALUE}, quoted or not. */
    private static final Pattern TOKEN = Pattern.compile("(--token(?:=|\\s+))(\"[^\"]*\"?|'[^']*'?|\\S+)");
    /** {@code scheme://user:password@host}. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s/:@]*:)[^\\s/@]+@");
    /** SQL's {@code IDENTIFIED [WITH method] BY 'password'} (ClickHouse's CREATE/ALTER USER). */
    private static final Pattern SQL_PASSWORD = Pattern.compile(
            "(?i)(\\bIDENTIFIED\\s+(?:WITH\\s+\\w+\\s+)?BY\\s+)'(?:[^'\\\\]|\\\\.)*'");

    private CommandLineSecrets() {}

    /** {@code line} as it may be shown or stored: every secret in it as {@code ****}. */
    static String mask(String line) {
        if (line == null) {
            return null;
        }
        Matcher m = TOKEN.matcher(line);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String v = m.group(2);
            String q = v.startsWith("\"") || v.startsWith("'") ? v.substring(0, 1) : "";
            m.appendReplacement(b, Matcher.quoteReplacement(m.group(1) + q + "****" + q));
        }
        m.appendTail(b);
        String out = URL_PASSWORD.matcher(b).replaceAll("$1****@");
        out = SQL_PASSWORD.matcher(out).replaceAll("$1'****'");
        return dcm.log.LogFiles.mask(out);
    }

    /** A stack trace for {@code --debug}, with every secret the log masks (a token given) as {@code ****}. */
    static String stackTrace(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return dcm.log.LogFiles.mask(w.toString());
    }

    /**
     * Adds the {@code --token} values of {@code line} to the log's masked values (before the command runs, so
     * nothing it logs or throws can show them).
     */
    static void remember(String line) {
        Matcher m = TOKEN.matcher(line);
        while (m.find()) {
            String v = m.group(2);
            if (v.length() >= 2 && (v.startsWith("\"") || v.startsWith("'")) && v.endsWith(v.substring(0, 1))) {
                v = v.substring(1, v.length() - 1);
            }
            dcm.log.LogFiles.secret(v);
        }
    }
}

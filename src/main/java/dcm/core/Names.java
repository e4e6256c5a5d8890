package dcm.core;

import java.util.regex.Pattern;

/**
 * Identifier rules and the versioned physical names of a model: {@code Model_1_0} for table and topic,
 * {@code /ingest/Model/1.0} for the route, and the bare name for the alias of the latest version.
 */
public final class Names {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern VERSION = Pattern.compile("\\d{1,6}(\\.\\d{1,6}){0,3}");

    private Names() {}

    /** True when {@code name} can be quoted safely in SQL and used as a topic name. */
    public static boolean isValidIdentifier(String name) {
        return name != null && IDENTIFIER.matcher(name).matches();
    }

    /** Returns the name, or throws with what is wrong and the expected form. */
    public static String requireIdentifier(String what, String name) {
        if (!isValidIdentifier(name)) {
            throw new IllegalArgumentException(what + " '" + name + "' is not a valid name: use letters, digits and"
                    + " underscores, starting with a letter or underscore (at most 128 characters)");
        }
        return name;
    }

    /** True when {@code version} looks like {@code 1.0} or {@code 2.3.1}. */
    public static boolean isValidVersion(String version) {
        return version != null && VERSION.matcher(version).matches();
    }

    /** Returns the version, or throws with the expected form. */
    public static String requireVersion(String version) {
        if (!isValidVersion(version)) {
            throw new IllegalArgumentException("version '" + version + "' is not valid: use numbers separated by"
                    + " dots, like 1.0 or 2.3.1");
        }
        return version;
    }

    /** {@code 1.0 -> 1_0}. */
    public static String versionSuffix(String version) {
        return requireVersion(version).replace('.', '_');
    }

    /** The table and topic name of one version of a model: {@code Users_1_0}. */
    public static String versioned(String model, String version) {
        return requireIdentifier("model name", model) + "_" + versionSuffix(version);
    }

    /** A topic name with the configured namespace prefix ({@code ns.Users_1_0}), or the plain name. */
    public static String topic(String namespace, String model, String version) {
        String base = versioned(model, version);
        return namespace == null || namespace.isBlank() ? base : namespace + "." + base;
    }

    /** The ingest route of one version. */
    public static String ingestRoute(String model, String version) {
        return "/ingest/" + model + "/" + version;
    }

    /** The next minor version: {@code 1.0 -> 1.1}, {@code 1.9 -> 1.10}, {@code 2 -> 2.1}, {@code 1.2.3 -> 1.3}. */
    public static String nextMinor(String version) {
        String[] parts = requireVersion(version).split("\\.");
        long minor = parts.length > 1 ? Long.parseLong(parts[1]) + 1 : 1;
        return parts[0] + "." + minor;
    }

    /** Compares dotted versions numerically: 1.10 is after 1.9. */
    public static int compareVersions(String a, String b) {
        String[] x = a.split("\\."), y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? Long.parseLong(x[i]) : 0, q = i < y.length ? Long.parseLong(y[i]) : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    }

    /** Levenshtein distance between two names, for "did you mean". */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}

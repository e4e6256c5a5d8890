package dcm.shell;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * A command's arguments, declared once: its options (flags, options with a value, options whose value may be left
 * out) and its positional parameters. From this one declaration come the synopsis ({@code help}), the parsing with
 * picocli (unknown options and bad values are usage errors with a "did you mean"), and the completion of options.
 */
public final class Syntax {
    /** One option: its name, the label of its value (null for a flag), whether the value may be left out, help. */
    public record Opt(String name, String label, boolean optionalValue, String help) {
        /** {@code --port N}, {@code --save [file]}, {@code --yes}. */
        String synopsis() {
            return label == null ? name : name + (optionalValue ? " [" + label + "]" : " " + label);
        }
    }

    /** One positional parameter: its label, whether it is required, whether it repeats, help. */
    public record Param(String label, boolean required, boolean many, String help) {
        String synopsis() {
            String l = label + (many ? "..." : "");
            return required ? l : "[" + l + "]";
        }
    }

    private final String name;
    private final List<Opt> options = new ArrayList<>();
    private final List<Param> params = new ArrayList<>();
    private boolean raw;

    private Syntax(String name) {
        this.name = name;
    }

    /** The syntax of a command with this name, and (until more is declared) no arguments. */
    public static Syntax of(String name) {
        return new Syntax(name);
    }

    /** A flag such as {@code --yes}. */
    public Syntax flag(String option, String help) {
        options.add(new Opt(option, null, false, help));
        return this;
    }

    /** An option with a value such as {@code --port N}. */
    public Syntax option(String option, String label, String help) {
        options.add(new Opt(option, label, false, help));
        return this;
    }

    /** An option whose value may be left out, such as {@code --save [file]}. */
    public Syntax optionalValue(String option, String label, String help) {
        options.add(new Opt(option, label, true, help));
        return this;
    }

    /** A required positional parameter. */
    public Syntax param(String label, String help) {
        params.add(new Param(label, true, false, help));
        return this;
    }

    /** An optional positional parameter. */
    public Syntax optional(String label, String help) {
        params.add(new Param(label, false, false, help));
        return this;
    }

    /** The rest of the line is text for the command, not options (e.g. {@code sql <query>}). */
    public Syntax raw(String label, String help) {
        params.add(new Param(label, true, false, help));
        raw = true;
        return this;
    }

    public String name() {
        return name;
    }

    public List<Opt> options() {
        return List.copyOf(options);
    }

    public List<Param> params() {
        return List.copyOf(params);
    }

    /** Whether the text after the name is taken whole, without options. */
    public boolean raw() {
        return raw;
    }

    /** {@code apply [file] [--yes] [--allow-destructive]}. */
    public String synopsis() {
        StringBuilder s = new StringBuilder(name);
        params.forEach(p -> s.append(' ').append(raw ? "<" + p.label() + ">" : p.synopsis()));
        options.forEach(o -> s.append(" [").append(o.synopsis()).append(']'));
        return s.toString();
    }

    /** The lines that explain each option and parameter, for {@code help <command>}. */
    public List<String> details() {
        List<String> out = new ArrayList<>();
        int width = 0;
        for (Param p : params) {
            width = Math.max(width, p.label().length());
        }
        for (Opt o : options) {
            width = Math.max(width, o.synopsis().length());
        }
        for (Param p : params) {
            out.add("  " + pad(p.label(), width) + "  " + p.help());
        }
        for (Opt o : options) {
            out.add("  " + pad(o.synopsis(), width) + "  " + o.help());
        }
        return out;
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    /** The picocli model of this syntax (built per parse: picocli models hold the last parse's values). */
    CommandSpec spec() {
        CommandSpec spec = CommandSpec.create().name(name);
        spec.parser().caseInsensitiveEnumValuesAllowed(false).unmatchedOptionsArePositionalParams(false)
                .posixClusteredShortOptionsAllowed(true).toggleBooleanFlags(false);
        for (Opt o : options) {
            OptionSpec.Builder b = OptionSpec.builder(o.name()).description(o.help());
            if (o.label() == null) {
                b.arity("0").type(boolean.class);
            } else {
                b.arity(o.optionalValue() ? "0..1" : "1").type(String.class).paramLabel(o.label());
                if (o.optionalValue()) {
                    b.fallbackValue("");
                }
            }
            spec.addOption(b.build());
        }
        int index = 0;
        for (Param p : params) {
            spec.addPositional(PositionalParamSpec.builder().paramLabel(p.label()).type(String.class)
                    .index(p.many() ? index + ".." + "*" : Integer.toString(index))
                    .arity(p.required() ? "1" : "0..1").description(p.help()).build());
            index++;
        }
        return spec;
    }

    /** Parses the words after the command name; a usage error names what is wrong and suggests the fix. */
    CommandLine.ParseResult parse(List<String> words) {
        try {
            // no @file expansion: `peek @x` names a table, it does not read a file
            return new CommandLine(spec()).setExpandAtFiles(false).parseArgs(words.toArray(String[]::new));
        } catch (CommandLine.UnmatchedArgumentException e) {
            String bad = e.getUnmatched().isEmpty() ? "?" : e.getUnmatched().get(0);
            // `--tokn=SECRET`: the option's name is enough to say what is wrong; its value may be a secret
            bad = bad.startsWith("-") && bad.contains("=") ? bad.substring(0, bad.indexOf('=')) : bad;
            List<String> near = bad.startsWith("-") ? nearOptions(bad) : List.of();
            throw CommandError.usage((bad.startsWith("-") ? "unknown option '" : "unexpected argument '") + bad + "'"
                    + (near.isEmpty() ? "" : "; did you mean " + String.join(" or ", near) + "?"), synopsis());
        } catch (CommandLine.ParameterException e) {
            throw CommandError.usage(e.getMessage().replace("Missing required parameter", "missing")
                    .replace("Expected parameter for option", "a value is needed for"), synopsis());
        }
    }

    private List<String> nearOptions(String bad) {
        String word = bad.contains("=") ? bad.substring(0, bad.indexOf('=')) : bad;
        List<String> out = new ArrayList<>();
        for (Opt o : options) {
            if (dcm.core.Names.distance(word, o.name()) <= Math.max(2, o.name().length() / 3)
                    || o.name().startsWith(word) && word.length() > 2) {
                out.add(o.name());
            }
        }
        return out;
    }
}

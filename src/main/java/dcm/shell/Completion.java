package dcm.shell;

/** What a command's arguments complete to. */
public enum Completion { NONE, MODELS, TARGETS, FILES, SUBCOMMANDS, COMMANDS }

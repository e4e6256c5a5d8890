package dcm.shell;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's command reference shows every command's synopsis and option lines exactly as `help` does. */
class ReadmeTest {
    @Test
    void theCommandReferenceIsWhatHelpShows() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("dcm.home", ".")).resolve("README.md"));
        for (Command c : Commands.standard().all()) {
            assertTrue(readme.contains("\n    " + c.synopsis() + "\n"), "README lacks the synopsis of " + c.name()
                    + ": " + c.synopsis());
            for (String line : c.syntax().details()) {
                assertTrue(readme.contains("\n    " + line + "\n"), "README lacks, under " + c.name() + ": " + line);
            }
        }
    }
}

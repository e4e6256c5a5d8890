package dcm.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What the REPL's history file keeps of a line with a token. */
class ReplHistoryTest {
    @Test
    void tokensNeverReachTheHistory() {
        assertEquals("plan --url http://h:4000 --token ****", Repl.withoutSecrets("plan --url http://h:4000 --token"
                + " s3cr3t-T0ken"));
        assertEquals("apply x.json --token=**** --url u", Repl.withoutSecrets("apply x.json --token=abc --url u"));
        assertEquals("plan --sql", Repl.withoutSecrets("plan --sql"));
    }
}

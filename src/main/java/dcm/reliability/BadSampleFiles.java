package dcm.reliability;

import java.nio.charset.StandardCharsets;

/**
 * Bad files given to {@code ingest} (and a bad {@code --run} script): only bad records, so nothing may reach the
 * topic; each rejection names the line, the record and the field, and the prompt goes on.
 */
final class BadSampleFiles extends BadInputs {
    BadSampleFiles(Suite suite) {
        super(suite);
    }

    @Override
    public String name() {
        return "sample files";
    }

    @Override
    protected void add() {
        file("file: malformed JSON line", true, "bad.jsonl", "{\"id\":\"b1\",\n", "record 0", "invalid JSON");
        file("file: wrong type", true, "bad.jsonl", Guard.record("b2", 0).replace("\"n\":0", "\"n\":\"two\"") + "\n",
                "line 1", "field 'n'", "expected an integer");
        file("file: missing field", false, "bad.jsonl", "{\"id\":\"b3\",\"user\":\"u\",\"n\":1}\n", "line 1",
                "field 'at'", "missing");
        file("file: CSV cell count", false, "bad.csv", "id,user,n,at\nb4,u,1\n", "line 2", "cells");
        file("file: CSV unknown column", false, "bad.csv", "id,user,n,at,extra\nb5,u,1,2024-05-01T12:00:00Z,x\n", "extra");
        file("file: number out of range", false, "bad.jsonl",
                Guard.record("b6", 0).replace("\"n\":0", "\"n\":99999999999") + "\n", "line 1", "field 'n'");
        file("file: bad timestamp", false, "bad.jsonl",
                Guard.record("b7", 0).replace("2024-05-01T12:00:00Z", "yesterday") + "\n", "line 1", "field 'at'");
        bad("file: invalid UTF-8", "file", true, () -> {
            byte[] rec = Guard.record("b8", 0).replace("\"u\"", "\"u\u0001\"").getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < rec.length; i++) {
                if (rec[i] == 1) {
                    rec[i] = (byte) 0xff;
                }
            }
            guard.project().write("bad.jsonl", rec);
            return replFails("ingest Ev bad.jsonl");
        }, "line 1", "UTF-8");
        bad("file: missing file", "file", false, () -> replFails("ingest Ev no-such-file.jsonl"),
                "no-such-file.jsonl");
        file("file: XML in a file", false, "bad.xml", "<ev/>\n", "line 1", "invalid JSON");
        bad("file: unknown version", "file", true, () -> {
            guard.project().write("ok.jsonl", Guard.record("b9", 0) + "\n");
            return replFails("ingest Ev@9.9 ok.jsonl");
        }, "9.9");
        bad("file: unknown model", "file", false, () -> {
            guard.project().write("ok.jsonl", Guard.record("b10", 0) + "\n");
            return replFails("ingest Nope ok.jsonl");
        }, "Nope");
        guard.project().write("json-bad.jsonl", Guard.record("j1", 0).replace("\"n\":0", "\"n\":true") + "\n");
        json("json: ingest of a bad file", true, "ingest Ev json-bad.jsonl", "line 1: record 0, field 'n'");
        json("json: unknown command option", false, "ls --frobnicate", "--frobnicate");
        json("json: peek of an unknown table", false, "peek nope", "nope");
        bad("file: --run script with a bad line", "file", true, () -> {
            java.nio.file.Path script = guard.project().write("bad.dcm", "# a script\nls\nplan --frobnicate\nls\n");
            Project.Run r = guard.project().script(script);
            Case.require(r.exitCode() == 2, "exit " + r.exitCode() + ": " + r.all());
            return r.all();
        }, "bad.dcm:3", "--frobnicate");
    }

    /**
     * A case through {@code --json}: standard output must be one JSON object per command, the failing one with
     * {@code ok: false}, data holding {@code expected} (the error, or the rejected lines), and a stable {@code code}.
     */
    private void json(String name, boolean inShort, String commands, String expected) {
        bad(name, "json", inShort, () -> {
            Project.Run r = guard.project().json(commands);
            Case.require(r.exitCode() == 1 || r.exitCode() == 2, "exit " + r.exitCode() + ": " + r.all());
            String[] lines = r.out().strip().split("\n");
            com.fasterxml.jackson.databind.JsonNode last;
            try {
                last = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines[lines.length - 1]);
            } catch (java.io.IOException e) {
                throw new Case.Failed("--json output is not JSON: " + r.out());
            }
            Case.require(!last.path("ok").asBoolean(true) && !last.path("data").path("code").asText().isEmpty(),
                    "no ok:false with a code: " + r.out());
            String data = last.path("data").toString();
            Case.require(data.contains(expected), "the error lacks \"" + expected + "\": " + r.out());
            return "code " + last.path("data").path("code").asText() + ": " + data;
        }, "code ");
    }

    private void file(String name, boolean inShort, String file, String text, String... expected) {
        bad(name, "file", inShort, () -> {
            guard.project().write(file, text);
            return replFails("ingest Ev " + file);
        }, expected);
    }
}

// The Java side of run_code: one JShell (the JDK's own REPL engine, in this JVM) kept for the sandbox, so
// variables, methods, classes and imports of one cell are there in the next, as in `jshell`.
//
// Launched as a single source file: java java_runner.java REQ_FD RESP_FD (repl.py holds the other side).
// Requests on REQ_FD, one per cell, a header line then the code:  "RUN <id> <nbytes>\n<code bytes>";
// "STOP <id>\n" stops that cell if it is still running (JShell.stop: the cell's thread is stopped, the state
// kept). Replies on RESP_FD, one per cell (and one with id 0 once ready): "<id> <nfields>\n" then per field
// "<key> <nbytes>\n<bytes>\n", all UTF-8. User output goes to the real stdout and stderr; after each cell a
// sentinel is written to both, so the agent can cut the streams per cell.
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

public class AgbJavaRunner {
    static final byte[] SENTINEL = "\u0000\u001eAGB-END\u001e\u0000".getBytes(StandardCharsets.UTF_8);
    // What the jshell tool imports at start (its DEFAULT startup), so cells can say List, Files, Pattern...
    static final String[] IMPORTS = {
        "java.io.*", "java.math.*", "java.net.*", "java.nio.file.*", "java.util.*", "java.util.concurrent.*",
        "java.util.function.*", "java.util.prefs.*", "java.util.regex.*", "java.util.stream.*",
    };

    record Cell(long id, String code) {}

    static final LinkedBlockingQueue<Cell> cells = new LinkedBlockingQueue<>();
    static volatile long running = -1;
    static volatile boolean stopped = false;
    static JShell shell;

    public static void main(String[] args) throws Exception {
        InputStream req = new BufferedInputStream(new FileInputStream("/proc/self/fd/" + args[0]));
        OutputStream resp = new FileOutputStream("/proc/self/fd/" + args[1]);
        FileOutputStream rawOut = new FileOutputStream(FileDescriptor.out);
        FileOutputStream rawErr = new FileOutputStream(FileDescriptor.err);
        // Unbuffered, so what a cell prints reaches the agent (and a streamed run's caller) at once.
        System.setOut(new PrintStream(rawOut, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(rawErr, true, StandardCharsets.UTF_8));
        shell = JShell.builder().executionEngine("local").build();
        for (String name : IMPORTS) {
            shell.eval("import " + name + ";");
        }
        Thread reader = new Thread(() -> readRequests(req), "agb-requests");
        reader.setDaemon(true);
        reader.start();
        endSegment(rawOut, rawErr);
        reply(resp, 0, Map.of("status", "ready"));
        int count = 0;
        while (true) {
            Cell cell = cells.take();
            if (cell.id() < 0) {
                return; // the agent closed the request pipe
            }
            count += 1;
            stopped = false;
            running = cell.id();
            Map<String, String> fields;
            try {
                fields = run(cell.code());
            } catch (Throwable t) { // a failure of JShell itself must not end the runner
                fields = new LinkedHashMap<>();
                fields.put("status", "error");
                fields.put("ename", t.getClass().getName());
                fields.put("evalue", String.valueOf(t.getMessage()));
                fields.put("traceback", t.toString());
            }
            running = -1;
            if (stopped) {
                fields.put("status", "interrupted");
            }
            fields.put("count", Integer.toString(count));
            System.out.flush();
            System.err.flush();
            endSegment(rawOut, rawErr);
            reply(resp, cell.id(), fields);
        }
    }

    static void readRequests(InputStream req) {
        try {
            while (true) {
                String line = readLine(req);
                if (line == null) {
                    break;
                }
                String[] parts = line.split(" ");
                if (parts[0].equals("RUN") && parts.length == 3) {
                    byte[] code = req.readNBytes(Integer.parseInt(parts[2]));
                    cells.put(new Cell(Long.parseLong(parts[1]), new String(code, StandardCharsets.UTF_8)));
                } else if (parts[0].equals("STOP") && parts.length == 2 && running == Long.parseLong(parts[1])) {
                    stopped = true;
                    try {
                        shell.stop();
                    } catch (RuntimeException e) {
                        // the cell ended meanwhile: nothing to stop, and the reader must go on
                    }
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // fall through: the agent is gone or spoke nonsense; either way this runner is done
        }
        cells.add(new Cell(-1, ""));
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                return null;
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** Evaluates the cell snippet by snippet, as jshell does; stops at the first error. */
    static Map<String, String> run(String code) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("status", "ok");
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String rest = code;
        while (!rest.isBlank() && !stopped) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            String source = info.source();
            if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                return fields;
            }
            if (info.completeness() == SourceCodeAnalysis.Completeness.DEFINITELY_INCOMPLETE) {
                return error(fields, "CompilationError", "incomplete input: the cell ends inside a construct",
                        rest.strip());
            }
            if (source == null || source.isBlank()) {
                source = rest; // not one complete snippet: let the compiler say what is wrong
                rest = "";
            } else {
                rest = info.remaining();
            }
            boolean last = rest.isBlank();
            fields.remove("result");
            for (SnippetEvent event : shell.eval(source)) {
                if (event.causeSnippet() != null) {
                    continue; // an earlier snippet this one updated
                }
                Snippet snippet = event.snippet();
                if (event.status() == Snippet.Status.REJECTED) {
                    return compileError(fields, snippet, source);
                }
                JShellException exception = event.exception();
                if (exception != null) {
                    return exception(fields, exception);
                }
                if (last && event.value() != null && isExpression(snippet)) {
                    fields.put("result", event.value());
                }
            }
        }
        return fields;
    }

    static boolean isExpression(Snippet snippet) {
        switch (snippet.subKind()) {
            case TEMP_VAR_EXPRESSION_SUBKIND:
            case VAR_VALUE_SUBKIND:
            case OTHER_EXPRESSION_SUBKIND:
                return true;
            default:
                return false;
        }
    }

    static Map<String, String> compileError(Map<String, String> fields, Snippet snippet, String source) {
        StringBuilder traceback = new StringBuilder();
        String first = null;
        for (Diag diag : (Iterable<Diag>) shell.diagnostics(snippet)::iterator) {
            String message = diag.getMessage(Locale.ROOT);
            if (first == null) {
                first = message;
            }
            traceback.append(diag.isError() ? "error: " : "warning: ").append(message).append('\n');
            int start = (int) Math.max(0, Math.min(diag.getStartPosition(), source.length()));
            int lineStart = source.lastIndexOf('\n', Math.max(0, start - 1)) + 1;
            int lineEnd = source.indexOf('\n', start);
            String line = source.substring(lineStart, lineEnd < 0 ? source.length() : lineEnd);
            traceback.append(line).append('\n').append(" ".repeat(Math.max(0, start - lineStart))).append("^\n");
        }
        return error(fields, "CompilationError", first == null ? "the snippet was rejected" : first,
                traceback.toString().stripTrailing());
    }

    static Map<String, String> exception(Map<String, String> fields, JShellException exception) {
        String name;
        if (exception instanceof EvalException eval) {
            name = eval.getExceptionClassName();
        } else if (exception instanceof UnresolvedReferenceException) {
            name = "UnresolvedReferenceException";
        } else {
            name = exception.getClass().getName();
        }
        String message = exception.getMessage();
        StringBuilder traceback = new StringBuilder(name);
        if (message != null) {
            traceback.append(": ").append(message);
        }
        for (StackTraceElement frame : exception.getStackTrace()) {
            traceback.append("\n\tat ").append(frame);
        }
        return error(fields, name, message == null ? "" : message, traceback.toString());
    }

    static Map<String, String> error(Map<String, String> fields, String name, String value, String traceback) {
        fields.put("status", "error");
        fields.remove("result");
        fields.put("ename", name);
        fields.put("evalue", value);
        fields.put("traceback", traceback);
        return fields;
    }

    static void endSegment(OutputStream out, OutputStream err) throws IOException {
        out.write(SENTINEL);
        out.flush();
        err.write(SENTINEL);
        err.flush();
    }

    static void reply(OutputStream resp, long id, Map<String, String> fields) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        buf.write((id + " " + fields.size() + "\n").getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, String> field : fields.entrySet()) {
            byte[] value = field.getValue().getBytes(StandardCharsets.UTF_8);
            buf.write((field.getKey() + " " + value.length + "\n").getBytes(StandardCharsets.UTF_8));
            buf.write(value);
            buf.write('\n');
        }
        resp.write(buf.toByteArray());
        resp.flush();
    }
}

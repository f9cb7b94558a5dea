# The R side of run_code: one R process kept for the sandbox; cells run in the global environment, so a
# variable of one cell is there in the next, as in an R console.
#
# Started as R --no-echo --no-save --no-restore -f r_runner.R --args REQ_FD RESP_FD PLOT_DIR (repl.py holds
# the other side). Requests on REQ_FD, one per cell: "RUN <id> <nbytes>\n<code bytes>". SIGINT stops the
# running cell (R's own interrupt: the cell ends, the state is kept). Replies on RESP_FD, one per cell (and
# one with id 0 once ready): "<id> <nfields>\n" then per field "<key> <nbytes>\n<bytes>\n", UTF-8. Each
# visible top-level value is a result, printed as the console would print it (the last one the main
# result); a plot drawn by the cell is saved as PNG in PLOT_DIR and named in a "png" field. User output goes
# to the real stdout and stderr; after each cell a sentinel is written to both, so the agent can cut the
# streams per cell.
#
# The runner's own names live in an environment whose parent is base, not the global environment, so a cell
# that defines `paste` or `cat` does not change how the runner works; values are printed from the global
# environment, so a cell's own print methods are used.
local(envir = new.env(parent = baseenv()), {
    args <- commandArgs(trailingOnly = TRUE)
    req <- file(paste0("/proc/self/fd/", args[[1]]), open = "rb", blocking = TRUE)
    resp <- file(paste0("/proc/self/fd/", args[[2]]), open = "wb", blocking = TRUE)
    plot_dir <- args[[3]]
    sentinel <- as.raw(c(0x00, 0x1e, 0x41, 0x47, 0x42, 0x2d, 0x45, 0x4e, 0x44, 0x1e, 0x00))  # \0\x1eAGB-END\x1e\0
    out <- file("/proc/self/fd/1", open = "wb")
    err <- file("/proc/self/fd/2", open = "wb")
    plot_seq <- 0L

    # Plots go to PNG files of this cell (an R without cairo or X11 cannot draw; its error says so).
    options(device = function(...) {
        plot_seq <<- plot_seq + 1L
        grDevices::png(file.path(plot_dir, sprintf("plot-%d-%%03d.png", plot_seq)), width = 640, height = 480)
    })

    reply <- function(id, fields) {
        con <- rawConnection(raw(0), "wb")
        writeBin(charToRaw(sprintf("%s %d\n", id, sum(lengths(fields)))), con)
        for (key in names(fields)) {
            for (value in fields[[key]]) {
                value <- enc2utf8(as.character(value))
                bytes <- charToRaw(value)
                writeBin(c(charToRaw(sprintf("%s %d\n", key, length(bytes))), bytes, as.raw(0x0a)), con)
            }
        }
        writeBin(rawConnectionValue(con), resp)
        close(con)
        flush(resp)
    }

    end_segment <- function() {
        flush(stdout())
        flush(stderr())
        writeBin(sentinel, out)
        flush(out)
        writeBin(sentinel, err)
        flush(err)
    }

    read_request <- function() {
        repeat {
            line <- tryCatch(readLines(req, n = 1L, warn = FALSE), interrupt = function(e) NA)
            if (length(line) == 0L) return(NULL)  # the agent is gone
            if (!is.na(line)) break  # NA: a late SIGINT, meant for a cell that had already ended
        }
        parts <- strsplit(line, " ", fixed = TRUE)[[1]]
        size <- as.integer(parts[[3]])
        bytes <- raw(0)
        while (length(bytes) < size) {
            chunk <- readBin(req, "raw", size - length(bytes))
            if (length(chunk) == 0L) return(NULL)
            bytes <- c(bytes, chunk)
        }
        code <- rawToChar(bytes)
        Encoding(code) <- "UTF-8"
        list(id = parts[[2]], code = code)
    }

    shown <- function(value) {
        env <- new.env(parent = globalenv())
        assign("value", value, envir = env)
        paste(utils::capture.output(eval(quote(print(value)), env)), collapse = "\n")
    }

    # The call a condition names, as the console shows it; none for the cell's own top level.
    call_text <- function(call) {
        text <- if (is.null(call)) "" else paste(deparse(call, nlines = 1L), collapse = "")
        if (text == "eval(expr, globalenv())") "" else text
    }

    frames <- function(calls) {
        # The cell's own calls, innermost first (as traceback() lists them): those inside this runner's
        # eval of the top-level expression, without the condition machinery around stop().
        text <- vapply(calls, function(call) paste(deparse(call, nlines = 1L), collapse = ""), "")
        at <- which(text == "eval(expr, globalenv())")
        if (length(at)) text <- text[-seq_len(max(at))]
        machinery <- "^(\\.handleSimpleError|h\\(simpleError|\\(function \\((e|w)\\)|withCallingHandlers|tryCatch|doTryCatch)"
        rev(text[!grepl(machinery, text)])
    }

    run_cell <- function(code) {
        fields <- list(status = "ok")
        exprs <- tryCatch(parse(text = code, keep.source = FALSE), error = function(e) e)
        if (inherits(exprs, "error")) {
            message <- sub("^<text>:", "line ", conditionMessage(exprs))
            return(list(status = "error", ename = "SyntaxError", evalue = message, traceback = message))
        }
        results <- character(0)
        trace <- character(0)
        outcome <- tryCatch(
            withCallingHandlers(
                {
                    for (expr in exprs) {
                        value <- withVisible(eval(expr, globalenv()))
                        if (value$visible) results <- c(results, shown(value$value))
                    }
                    NULL
                },
                error = function(e) trace <<- frames(sys.calls()),
                warning = function(w) {
                    call <- call_text(conditionCall(w))
                    where <- if (call == "") "" else paste0(" in ", call)
                    cat(sprintf("Warning message%s:\n%s\n", where, conditionMessage(w)), file = stderr())
                    invokeRestart("muffleWarning")
                }
            ),
            interrupt = function(i) list(status = "interrupted"),
            error = function(e) {
                call <- call_text(conditionCall(e))
                head <- if (call == "") "Error" else paste0("Error in ", call)
                list(
                    status = "error", ename = class(e)[[1]], evalue = conditionMessage(e),
                    traceback = paste(c(paste0(head, ": ", conditionMessage(e)), if (length(trace)) paste0("  at ", trace)), collapse = "\n")
                )
            }
        )
        if (!is.null(outcome)) fields <- outcome
        if (length(results) && fields$status == "ok") {
            fields$display <- results[-length(results)]
            fields$result <- results[[length(results)]]
        } else if (length(results)) {
            fields$display <- results
        }
        fields
    }

    end_segment()
    reply(0, list(status = "ready"))
    count <- 0L
    repeat {
        request <- read_request()
        if (is.null(request)) break
        count <- count + 1L
        fields <- tryCatch(run_cell(request$code), interrupt = function(i) list(status = "interrupted"))
        if (length(grDevices::dev.list())) grDevices::graphics.off()
        plots <- list.files(plot_dir, pattern = "^plot-.*\\.png$", full.names = TRUE)
        drawn <- file.info(plots)$size > 0
        unlink(plots[!drawn])
        fields$png <- plots[drawn]
        fields$count <- count
        end_segment()
        reply(request$id, fields)
    }
})

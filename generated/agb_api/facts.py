"""Protocol facts of openapi/agb.yaml, written by tools/regenerate through agb_spec; never edit by hand."""

from typing import Final

# Operations a client may retry after the request left (x-agb-idempotent).
IDEMPOTENT_OPERATIONS: Final[frozenset[str]] = frozenset(
    {
        "clearContext",
        "deleteContextFile",
        "describeContextFiles",
        "getAndLoadInternalContext",
        "getCdpLink",
        "getContext",
        "getContextFileDownloadUrl",
        "getContextFileUploadUrl",
        "getContextInfo",
        "getLabel",
        "getLink",
        "getLinkMcp",
        "getMcpResource",
        "getPresignedContextFile",
        "getSession",
        "getSessionInfo",
        "listContexts",
        "listSessions",
        "listTools",
        "modifyContext",
        "putPresignedContextFile",
        "refreshSessionIdleTime",
    }
)

# Tools (the /mcp operation's x-agb-tools): every name, those that only read (safe to retry:
# x-agb-read-only) and those that store data in the session (x-agb-writes).
TOOLS: Final[frozenset[str]] = frozenset(
    {
        "create_directory",
        "delete_file",
        "edit_file",
        "get_file_change",
        "get_file_info",
        "get_metrics",
        "list_directory",
        "move_file",
        "read_file",
        "read_multiple_files",
        "run_code",
        "search_files",
        "shell",
        "write_file",
    }
)
READ_ONLY_TOOLS: Final[frozenset[str]] = frozenset(
    {"get_file_info", "get_metrics", "list_directory", "read_file", "read_multiple_files", "search_files"}
)
WRITING_TOOLS: Final[frozenset[str]] = frozenset(
    {"create_directory", "edit_file", "move_file", "run_code", "shell", "write_file"}
)

# run_code's languages as sent on the wire, and every accepted name (lower case) to its language
# (components.schemas.RunCodeArgs.properties.language.x-agb-languages).
LANGUAGES: Final[tuple[str, ...]] = ("python", "javascript", "java", "r")
LANGUAGE_ALIASES: Final[dict[str, str]] = {
    "python": "python",
    "py": "python",
    "python3": "python",
    "javascript": "javascript",
    "js": "javascript",
    "node": "javascript",
    "nodejs": "javascript",
    "java": "java",
    "r": "r",
}

# The images offered by default, id to description, and the one a session starts from (x-agb-images).
DEFAULT_IMAGE_ID: Final[str] = "code_latest"
DEFAULT_IMAGES: Final[dict[str, str]] = {
    "code_latest": "Latest general-purpose code execution environment",
    "agb-code-space-1": "Specialized code execution environment",
}

# Every image id of the vendor's docs to its family, each family's capabilities, and what each capability
# adds to the tools of x-agb-tools: operations and tools (x-agb-images.families, x-agb-capabilities).
IMAGE_FAMILIES: Final[dict[str, str]] = {
    "code_latest": "code-space",
    "agb-code-space-1": "code-space",
    "agb-code-space-2": "code-space",
    "agb-browser-use-1": "browser-use",
    "browser_latest": "browser-use",
    "agb-computer-use-ubuntu-2204": "computer-use",
    "agb-computer-use-1": "computer-use",
}
FAMILY_CAPABILITIES: Final[dict[str, tuple[str, ...]]] = {
    "code-space": (),
    "browser-use": ("browser",),
    "computer-use": ("browser", "desktop"),
}
CAPABILITY_OPERATIONS: Final[dict[str, frozenset[str]]] = {
    "browser": frozenset({"getCdpLink", "initBrowser"}),
    "desktop": frozenset(),
}
CAPABILITY_TOOLS: Final[dict[str, frozenset[str]]] = {
    "browser": frozenset(
        {
            "page_use_act",
            "page_use_act_async",
            "page_use_close_session",
            "page_use_extract",
            "page_use_extract_async",
            "page_use_get_act_result",
            "page_use_get_extract_result",
            "page_use_navigate",
            "page_use_observe",
            "page_use_screenshot",
            "screenshot",
            "stopChrome",
        }
    ),
    "desktop": frozenset(
        {
            "activate_window",
            "click_mouse",
            "close_window",
            "drag_mouse",
            "focus_mode",
            "fullscreen_window",
            "get_active_window",
            "get_cursor_position",
            "get_installed_apps",
            "get_screen_size",
            "input_text",
            "list_root_windows",
            "list_visible_apps",
            "maximize_window",
            "minimize_window",
            "move_mouse",
            "press_keys",
            "release_keys",
            "resize_window",
            "restore_window",
            "scroll",
            "start_app",
            "stop_app_by_cmd",
            "stop_app_by_pid",
            "stop_app_by_pname",
            "system_screenshot",
        }
    ),
}

# Limits: constraints of fields (named by their x-agb-limit-names) and x-agb-limits.
LIST_PAGE_SIZE_MIN: Final[int] = 1  # paths./sdk/ListSession.get.parameters[maxResults].schema.minimum
LIST_PAGE_SIZE_MAX: Final[int] = 100  # paths./sdk/ListSession.get.parameters[maxResults].schema.maximum
LIST_PAGE_SIZE_DEFAULT: Final[int] = 10  # paths./sdk/ListSession.get.parameters[maxResults].schema.default
LINK_PORT_MIN: Final[int] = 30100  # components.parameters.LinkPort.schema.minimum
LINK_PORT_MAX: Final[int] = 30199  # components.parameters.LinkPort.schema.maximum
LABELS_MAX_CHARS: Final[int] = 8192  # components.schemas.LabelsJson.maxLength
IDLE_TIMEOUT_MIN_S: Final[int] = 1  # components.schemas.CreateSessionRequest.properties.timeout.minimum
IDLE_TIMEOUT_MAX_S: Final[int] = 86400  # components.schemas.CreateSessionRequest.properties.timeout.maximum
TOOL_ARGS_MAX_CHARS: Final[int] = 16777216  # components.schemas.CallToolRequest.properties.args.maxLength
RUN_CODE_TIMEOUT_MIN_S: Final[int] = 1  # components.schemas.RunCodeArgs.properties.timeout_s.minimum
RUN_CODE_TIMEOUT_MAX_S: Final[int] = 3600  # components.schemas.RunCodeArgs.properties.timeout_s.maximum
SHELL_TIMEOUT_MIN_MS: Final[int] = 1  # components.schemas.ShellArgs.properties.timeout_ms.minimum
SHELL_TIMEOUT_MAX_MS: Final[int] = 3600000  # components.schemas.ShellArgs.properties.timeout_ms.maximum
IDLE_TIMEOUT_DEFAULT_S: Final[int] = 300  # x-agb-limits.idleTimeoutDefaultS
FILE_CHUNK_BYTES: Final[int] = 51200  # x-agb-limits.fileChunkBytes
ERROR_MESSAGE_MAX_CHARS: Final[int] = 300  # x-agb-limits.errorMessageMaxChars

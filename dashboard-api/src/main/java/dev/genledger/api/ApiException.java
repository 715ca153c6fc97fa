package dev.genledger.api;

/**
 * An answer other than success, rendered as {@code {"error":{"code":…,"message":…}}} with the
 * status. Messages name the input, the value, what is expected and how to fix it.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String parameter;

    ApiException(int status, String code, String message, String parameter) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.parameter = parameter;
    }

    /** A bad query parameter: 400, naming the parameter. */
    static ApiException badParameter(String parameter, String value, String expected) {
        return new ApiException(400, "invalid_parameter",
                parameter + ": '" + value + "' (expected: " + expected + ")", parameter);
    }

    static ApiException badRequest(String parameter, String message) {
        return new ApiException(400, "invalid_parameter", message, parameter);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message, null);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** The offending query parameter or body field; null when the error is not about one. */
    String parameter() {
        return parameter;
    }
}

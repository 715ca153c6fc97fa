package dev.genledger.proxy.replicate;

import dev.genledger.ledger.Modality;

/**
 * What a Replicate request is, from its method and path alone.
 *
 * @param pathModel    {@code owner/name} of an official model or a deployment named by the path; null
 *                     for {@code POST /v1/predictions} (the model is the body's {@code version})
 * @param predictionId the prediction a poll or cancel is about, else null
 */
record ReplicateRoute(Kind kind, String operation, Modality modality, String pathModel, String predictionId) {

    enum Kind {
        /** Creates a prediction: synchronous (terminal at once) or pending until a poll sees it end. */
        CREATE,
        /** {@code GET /v1/predictions/{id}} or {@code POST /v1/predictions/{id}/cancel}. */
        POLL,
        /** Anything that runs nothing: models, collections, hardware, account, files, unknown routes. */
        CONTROL
    }

    static ReplicateRoute of(String method, String path) {
        String[] s = (path.startsWith("/") ? path.substring(1) : path).split("/");
        if (s.length < 2 || !s[0].equals("v1")) {
            return control("other");
        }
        boolean post = method.equals("POST");
        boolean get = method.equals("GET");
        switch (s[1]) {
            case "predictions" -> {
                if (s.length == 2 && post) {
                    return create(null);
                }
                if (s.length == 3 && get) {
                    return new ReplicateRoute(Kind.POLL, "poll", Modality.NONE, null, s[2]);
                }
                if (s.length == 4 && post && s[3].equals("cancel")) {
                    return new ReplicateRoute(Kind.POLL, "cancel", Modality.NONE, null, s[2]);
                }
                return control("other"); // the list of predictions
            }
            case "models", "deployments" -> {
                if (s.length == 5 && post && s[4].equals("predictions")) {
                    return create(s[2] + "/" + s[3]);
                }
                // trainings (POST …/versions/{id}/trainings) run billed hardware too, but are not metered here
                return control(s[1].equals("models") && get ? "models" : "other");
            }
            case "files" -> {
                return control("files");
            }
            default -> {
                return control("other");
            }
        }
    }

    private static ReplicateRoute create(String model) {
        return new ReplicateRoute(Kind.CREATE, "prediction", ReplicateModality.of(model), model, null);
    }

    private static ReplicateRoute control(String operation) {
        return new ReplicateRoute(Kind.CONTROL, operation, Modality.NONE, null, null);
    }
}

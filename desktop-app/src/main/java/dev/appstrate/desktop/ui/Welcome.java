package dev.appstrate.desktop.ui;

import dev.appstrate.desktop.client.ApiProblem;
import dev.appstrate.desktop.client.ModelsApi;

/** First launch with no model: a short note leads to the Models screen. */
final class Welcome {
    private Welcome() {
    }

    static void offerModelSetup(DesktopContext ctx) {
        Tasks.create(() -> new ModelsApi(ctx.client()).models().size())
                .onSuccess(count -> {
                    // a key that cannot add providers would be sent to a form it may not use
                    if (count == 0 && ctx.client().capabilities().allows("model-provider-credentials:write")) {
                        ctx.navigator().show(PageId.MODELS);
                        ctx.notifier().info("Welcome! Agents need a model: add a provider here (OpenAI-compatible, a local "
                                + "Ollama or LM Studio, or Anthropic), test it, and pick the default.");
                    }
                })
                .onError(e -> {
                    // a server without the models API: nothing to offer yet
                    if (!(e instanceof ApiProblem)) {
                        ctx.notifier().error(e);
                    }
                })
                .start();
    }
}

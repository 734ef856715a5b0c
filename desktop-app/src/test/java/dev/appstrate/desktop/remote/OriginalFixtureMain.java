package dev.appstrate.desktop.remote;

/**
 * The fixture server on its own, for driving the app by hand against "the original": prints its URL and a full key,
 * then serves until the process is stopped. {@code java -cp … dev.appstrate.desktop.remote.OriginalFixtureMain}
 */
public final class OriginalFixtureMain {
    private OriginalFixtureMain() {
    }

    public static void main(String[] args) throws Exception {
        OriginalFixtureServer f = new OriginalFixtureServer();
        Runtime.getRuntime().addShutdownHook(new Thread(f::close, "fixture-stop"));
        System.out.println("url=" + f.url());
        System.out.println("key=" + f.fullKey());
        System.out.flush();
        Thread.currentThread().join();
    }
}

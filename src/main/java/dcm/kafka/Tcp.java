package dcm.kafka;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A plain TCP probe: cheaper than a client when nothing listens, and it tells "refused" from "no answer". */
public final class Tcp {
    /** What a connection attempt found. */
    public enum Reach {
        /** Something accepted the connection: a server listens (it may still be slow to answer requests). */
        OPEN,
        /** The connection was refused at once: nothing listens there. */
        REFUSED,
        /** No answer within the time-out (a network that drops packets, or an unknown host). */
        NO_ANSWER
    }

    private Tcp() {}

    /** True when something accepts a connection at host:port within {@code timeoutMillis}. */
    public static boolean open(String host, int port, int timeoutMillis) {
        return reach(host, port, timeoutMillis) == Reach.OPEN;
    }

    /** Tries one connection. On this machine's loopback a listening socket accepts even when its server is busy. */
    public static Reach reach(String host, int port, int timeoutMillis) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            return Reach.OPEN;
        } catch (ConnectException e) {
            return Reach.REFUSED;
        } catch (IOException e) {
            return Reach.NO_ANSWER;
        }
    }
}

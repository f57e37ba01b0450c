<?php

/**
 * @generate-class-entries
 * @generate-legacy-arginfo 80100
 */

namespace Push {

/** Base of every exception push throws. */
class Exception extends \Exception {}

/** The server is unreachable, timed out or closed the connection. */
class ConnectionException extends Exception {}

/** The server answered something that is not the protocol, or refused the request. */
class ProtocolException extends Exception {}

/** The server could not start, or was misconfigured. */
class ServerException extends Exception {}

/** A Push\Server method that needs the running server was called before run() or after it returned. */
class ServerNotRunningException extends Exception {}

/**
 * @strict-properties
 * @not-serializable
 */
final class Server
{
    /**
     * @var int
     * @cvalue PUSH_CLOSE_NORMAL
     */
    public const CLOSE_NORMAL = UNKNOWN;
    /**
     * @var int
     * @cvalue PUSH_CLOSE_GOING_AWAY
     */
    public const CLOSE_GOING_AWAY = UNKNOWN;
    /**
     * @var int
     * @cvalue PUSH_CLOSE_TOO_BIG
     */
    public const CLOSE_TOO_BIG = UNKNOWN;
    /**
     * @var int
     * @cvalue PUSH_CLOSE_BAD_TOKEN
     */
    public const CLOSE_BAD_TOKEN = UNKNOWN;
    /**
     * @var int
     * @cvalue PUSH_CLOSE_EXPIRED
     */
    public const CLOSE_EXPIRED = UNKNOWN;
    /**
     * @var int
     * @cvalue PUSH_CLOSE_REFUSED
     */
    public const CLOSE_REFUSED = UNKNOWN;
    /**
     * @var int
     * @cvalue PUSH_CLOSE_AUTH_TIMEOUT
     */
    public const CLOSE_AUTH_TIMEOUT = UNKNOWN;
    /**
     * @var int
     * @cvalue PUSH_CLOSE_BAD_UID
     */
    public const CLOSE_BAD_UID = UNKNOWN;
    /**
     * @var int
     * @cvalue PUSH_CLOSE_SLOW
     */
    public const CLOSE_SLOW_CONSUMER = UNKNOWN;
    /**
     * @var int
     * @cvalue PUSH_CLOSE_KICKED
     */
    public const CLOSE_KICKED = UNKNOWN;
    /**
     * @var int
     * @cvalue PUSH_CLOSE_HEARTBEAT
     */
    public const CLOSE_HEARTBEAT = UNKNOWN;

    public function __construct(array $options = []) {}

    /** Called once the listeners are open, before the first connection. fn(Server $server) */
    public function onStart(?callable $callback): static {}

    /** Called when a connection has a uid. fn(Connection $conn) */
    public function onConnect(?callable $callback): static {}

    /** Called for each message of a bound connection. fn(Connection $conn, string $data) */
    public function onMessage(?callable $callback): static {}

    /** Called when a bound connection closed. fn(Connection $conn, int $code) */
    public function onClose(?callable $callback): static {}

    /**
     * Decides who a new connection is. fn(string $firstMessage, array $request): string|false|null
     * $request has path, query, cookies, headers and remote_address. Return the uid, or false/null to refuse.
     */
    public function onAuth(?callable $callback): static {}

    /** Serves in this process until stop(), SIGTERM or SIGINT. */
    public function run(): void {}

    /**
     * Workerman-style command line: start [-d] | stop | restart | reload | status.
     * Reads $argv when $argv is null.
     */
    public function start(?array $argv = null): void {}

    /** Ends run(): graceful drains queues and closes connections with 1001. */
    public function stop(bool $graceful = true): void {}

    /*
     * The methods from send() to getStats() are the ones Push\Client and Push\RemoteServer
     * have too, with the same names, parameters and return shapes (README: "One API").
     * They need the running server: before run() (or after it returned) they throw
     * Push\ServerNotRunningException. Messages given as arrays go out as their JSON.
     * In cluster mode, a send or kick that Redis could not take for the other nodes throws
     * Push\ProtocolException, as Push\Client's does; its code is how many connections of
     * this node did get it.
     */

    /** true when at least one connection got it, or history kept it for the offline uid (queued): the recipe's ok/fail. */
    public function send(string|int|array $uid, string|array $message): bool {}

    /** Pushes to every connection of one or several uids; returns how many connections got it. */
    public function sendToUid(string|int|array $uid, string|array $message): int {}

    /**
     * Many pushes: $messages is a list of [uid, message] pairs. One bool per pair, in order,
     * as send() answers it.
     * @return list<bool>
     */
    public function sendBatch(array $messages): array {}

    /**
     * Pushes to every connection that has a uid, but those of the excluded uids (and, on the
     * server only, the excluded connection ids); returns how many got it.
     */
    public function broadcast(string|array $message, array $excludeUids = [], array $excludeConnections = []): int {}

    /** Pushes to every connection in the group but the excluded; returns how many got it. */
    public function sendToGroup(string $group, string|array $message, array $excludeUids = [], array $excludeConnections = []): int {}

    /** Puts a uid or a list of uids (all their connections, while online) in a group; false if nothing changed. */
    public function joinGroup(string $group, string|int|array $uid): bool {}

    public function leaveGroup(string $group, string|int|array $uid): bool {}

    public function getGroupConnectionCount(string $group): int {}

    /** @return list<string> */
    public function getGroupUids(string $group): array {}

    /** @return list<string> */
    public function getUidGroups(string|int $uid): array {}

    public function getAllConnectionCount(): int {}

    public function getAllUidCount(): int {}

    public function getAllGroupCount(): int {}

    /**
     * One page of the online uids; pass 'next' back as $cursor until it is null. 'total': all online uids.
     * @return array{uids: list<string>, next: ?int, total: int}
     */
    public function getUidList(int $cursor = 0, int $limit = 1000): array {}

    public function isUidOnline(string|int $uid): bool {}

    public function getUidConnectionCount(string|int $uid): int {}

    /** Closes every connection of a uid (code 4009, $reason or "kicked"); returns how many. */
    public function kickUid(string|int $uid, string $reason = ""): int {}

    /** The counters of the status command (connections, uids, messages, refusals), plus 'memory': this PHP's heap. */
    public function getStats(): array {}

    /** Calls $callback every $interval seconds (once if $repeat is false); returns the timer id. */
    public function addTimer(float $interval, callable $callback, bool $repeat = true): int {}

    public function clearTimer(int $id): bool {}

    public function getConnection(int $id): ?Connection {}

    public function getWsPort(): int {}

    public function getTextPort(): int {}
}

/**
 * A WebSocket connection, as seen from a server callback. It stays usable by id after the
 * callback returns; once the connection closed, send() returns false.
 *
 * @strict-properties
 * @not-serializable
 */
final class Connection
{
    public readonly int $id;
    public readonly ?string $uid;
    public readonly string $remoteAddress;

    private function __construct() {}

    public function send(string $message): bool {}

    public function close(int $code = 1000, string $reason = ""): void {}

    public function isOpen(): bool {}

    /** Puts this connection alone (not its uid) in a group. */
    public function joinGroup(string $group): bool {}

    public function leaveGroup(string $group): bool {}
}

/**
 * A push server's Text port (tcp://), or every push server of a cluster through Redis
 * (redis://), seen from another process: the instance behind Push\Client's static calls,
 * and the one to make for a server other than push.client_address's.
 *
 * @strict-properties
 * @not-serializable
 */
final class RemoteServer
{
    /**
     * $address like "tcp://127.0.0.1:5678" (a push server's Text port), or
     * "redis://[:password@]host:port[/db][?prefix=push:]" to publish to every push server of a
     * cluster through Redis (the prefix must be the servers' redis_prefix; the address is taken
     * as written, without '%' escapes, as the servers take it). With redis:// only send(),
     * sendToUid(), broadcast(), sendToGroup(), kickUid(), sendBatch() and close() work; any
     * other method (trigger() too) throws Push\ProtocolException.
     * null: push.client_address. Options: timeout (float seconds), secret (string; the Text
     * secret, unused with redis://), persistent (bool).
     */
    public function __construct(?string $address = null, array $options = []) {}

    /**
     * true: at least one connection got it, or history kept it for the offline uid (queued);
     * false: no connection of the uid(s). With redis://, true means at least one push server
     * received it and false that none listens: it cannot tell whether the uid is online.
     * In cluster mode, a send (this one, sendToUid(), broadcast(), sendToGroup(), kickUid(),
     * trigger()) that Redis could not take for the other nodes throws Push\ProtocolException;
     * for all but send() its code is how many connections of the node asked did get it.
     */
    public function send(string|int|array $uid, string|array $message): bool {}

    /** Like send() but returns how many connections got it. */
    public function sendToUid(string|int|array $uid, string|array $message): int {}

    /**
     * Many pushes in few round trips (pipelined): $messages is a list of [uid, message] pairs.
     * Returns one bool per pair, in order, as send() answers it.
     * @return list<bool>
     */
    public function sendBatch(array $messages): array {}

    /**
     * Pushes to every connection but those of the excluded uids; returns how many got it
     * (with redis://, how many push servers received it).
     */
    public function broadcast(string|array $message, array $excludeUids = []): int {}

    /**
     * Pushes to every connection in the group but those of the excluded uids; returns how many got it
     * (with redis://, how many push servers received it).
     */
    public function sendToGroup(string $group, string|array $message, array $excludeUids = []): int {}

    /** Puts a uid or a list of uids (all their connections, while online) in a group; false if nothing changed. */
    public function joinGroup(string $group, string|int|array $uid): bool {}

    public function leaveGroup(string $group, string|int|array $uid): bool {}

    public function getGroupConnectionCount(string $group): int {}

    /** @return list<string> */
    public function getGroupUids(string $group): array {}

    /** @return list<string> */
    public function getUidGroups(string|int $uid): array {}

    public function getAllConnectionCount(): int {}

    public function getAllUidCount(): int {}

    public function getAllGroupCount(): int {}

    /**
     * One page of the online uids; pass 'next' back as $cursor until it is null. 'total': all online uids.
     * @return array{uids: list<string>, next: ?int, total: int}
     */
    public function getUidList(int $cursor = 0, int $limit = 1000): array {}

    public function isUidOnline(string|int $uid): bool {}

    public function getUidConnectionCount(string|int $uid): int {}

    /** Closes every connection of a uid (code 4009, $reason or "kicked"); returns how many (with redis://, how many push servers received it). */
    public function kickUid(string|int $uid, string $reason = ""): int {}

    /** The server's counters, as its status command gives them. */
    public function getStats(): array {}

    /**
     * A Pusher protocol event (docs/PUSHER.md) on one channel or several: every connection
     * subscribed gets {"event":$event,"channel":..,"data":..}. $data goes out as is when it is a
     * string, JSON-encoded otherwise, as Pusher's SDKs send it. $socketId: that connection is
     * skipped (Laravel's toOthers()). $app: the app id, needed when the server has several.
     * Returns how many connections got it. Text port only.
     */
    public function trigger(string|array $channels, string $event, mixed $data, ?string $socketId = null, ?string $app = null): int {}

    /** Closes the connection to the server (the next call reconnects). */
    public function close(): void {}
}

/**
 * Push\Client::send($uid, $message) and every method of Push\RemoteServer, as static calls
 * on the default client: a Push\RemoteServer made from the push.client_* INI settings (one
 * per thread, rebuilt when the settings change). Not instantiable: for another server, make
 * a Push\RemoteServer.
 *
 * @strict-properties
 * @not-serializable
 */
final class Client
{
    private function __construct() {}

    /** @implementation-alias Push\RemoteServer::send */
    public static function send(string|int|array $uid, string|array $message): bool {}

    /** @implementation-alias Push\RemoteServer::sendToUid */
    public static function sendToUid(string|int|array $uid, string|array $message): int {}

    /** @implementation-alias Push\RemoteServer::sendBatch */
    public static function sendBatch(array $messages): array {}

    /** @implementation-alias Push\RemoteServer::broadcast */
    public static function broadcast(string|array $message, array $excludeUids = []): int {}

    /** @implementation-alias Push\RemoteServer::sendToGroup */
    public static function sendToGroup(string $group, string|array $message, array $excludeUids = []): int {}

    /** @implementation-alias Push\RemoteServer::joinGroup */
    public static function joinGroup(string $group, string|int|array $uid): bool {}

    /** @implementation-alias Push\RemoteServer::leaveGroup */
    public static function leaveGroup(string $group, string|int|array $uid): bool {}

    /** @implementation-alias Push\RemoteServer::getGroupConnectionCount */
    public static function getGroupConnectionCount(string $group): int {}

    /** @implementation-alias Push\RemoteServer::getGroupUids */
    public static function getGroupUids(string $group): array {}

    /** @implementation-alias Push\RemoteServer::getUidGroups */
    public static function getUidGroups(string|int $uid): array {}

    /** @implementation-alias Push\RemoteServer::getAllConnectionCount */
    public static function getAllConnectionCount(): int {}

    /** @implementation-alias Push\RemoteServer::getAllUidCount */
    public static function getAllUidCount(): int {}

    /** @implementation-alias Push\RemoteServer::getAllGroupCount */
    public static function getAllGroupCount(): int {}

    /** @implementation-alias Push\RemoteServer::getUidList */
    public static function getUidList(int $cursor = 0, int $limit = 1000): array {}

    /** @implementation-alias Push\RemoteServer::isUidOnline */
    public static function isUidOnline(string|int $uid): bool {}

    /** @implementation-alias Push\RemoteServer::getUidConnectionCount */
    public static function getUidConnectionCount(string|int $uid): int {}

    /** @implementation-alias Push\RemoteServer::kickUid */
    public static function kickUid(string|int $uid, string $reason = ""): int {}

    /** @implementation-alias Push\RemoteServer::getStats */
    public static function getStats(): array {}

    /** @implementation-alias Push\RemoteServer::trigger */
    public static function trigger(string|array $channels, string $event, mixed $data, ?string $socketId = null, ?string $app = null): int {}

    /** @implementation-alias Push\RemoteServer::close */
    public static function close(): void {}

    /**
     * @deprecated use sendToUid()
     * @implementation-alias Push\RemoteServer::sendToUid
     */
    public static function sendCount(string|int|array $uid, string|array $message): int {}

    /**
     * @deprecated use getStats()
     * @implementation-alias Push\RemoteServer::getStats
     */
    public static function status(): array {}

    /** A signed token for $uid valid for $ttl seconds, for the browser's first message or ?token=. */
    public static function token(string|int $uid, int $ttl = 3600, ?string $secret = null): string {}

    /** The default client itself: the Push\\RemoteServer behind the static calls. */
    public static function instance(): RemoteServer {}
}

}

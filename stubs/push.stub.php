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

    /** Pushes to every connection of one or several uids; returns how many connections got it. */
    public function sendToUid(string|int|array $uid, string $message): int {}

    /** Pushes to every connection that has a uid, but the excluded; returns how many got it. */
    public function broadcast(string $message, array $excludeUids = [], array $excludeConnections = []): int {}

    /** Puts a uid (all its connections, present and future, while it is online) in a group. */
    public function joinGroup(string $group, string|int $uid): bool {}

    public function leaveGroup(string $group, string|int $uid): bool {}

    /** Pushes to every connection in the group but the excluded; returns how many got it. */
    public function sendToGroup(string $group, string $message, array $excludeUids = [], array $excludeConnections = []): int {}

    public function getGroupConnectionCount(string $group): int {}

    /** @return list<string> */
    public function getGroupUids(string $group): array {}

    /** @return list<string> */
    public function getUidGroups(string|int $uid): array {}

    public function getAllConnectionCount(): int {}

    public function getAllUidCount(): int {}

    public function getAllGroupCount(): int {}

    /**
     * One page of the online uids: ['uids' => list<string>, 'next' => ?int]; pass 'next' back as $cursor.
     * @return array{uids: list<string>, next: ?int}
     */
    public function getUidList(int $cursor = 0, int $limit = 1000): array {}

    public function isUidOnline(string|int $uid): bool {}

    public function getUidConnectionCount(string|int $uid): int {}

    /** Closes every connection of a uid; returns how many. */
    public function kickUid(string|int $uid, string $reason = ""): int {}

    /** Calls $callback every $interval seconds (once if $repeat is false); returns the timer id. */
    public function addTimer(float $interval, callable $callback, bool $repeat = true): int {}

    public function clearTimer(int $id): bool {}

    public function getConnection(int $id): ?Connection {}

    public function getWsPort(): int {}

    public function getTextPort(): int {}

    /** Counters: connections, uids, messages, refusals, memory. */
    public function getStats(): array {}
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
 * Talks to a push server's Text port.
 *
 * Every method but token() can be called two ways: on an instance made for one server
 * ($client->send(...)), or statically (Push\Client::send(...)), using a default client made
 * from the push.client_* INI settings (one per thread). PHP has one method per name, so the
 * methods are declared protected, with their real parameters and return types (what
 * Reflection shows), and both calls go through __call and __callStatic, which run them.
 * The @method tags below list both ways for IDEs and static analysers.
 *
 * @method bool send(string|int|array $uid, string|array $message)
 * @method int sendCount(string|int|array $uid, string|array $message)
 * @method int broadcast(string|array $message, array $excludeUids = [])
 * @method array sendBatch(array $messages)
 * @method bool joinGroup(string $group, string|int|array $uid)
 * @method bool leaveGroup(string $group, string|int|array $uid)
 * @method int sendToGroup(string $group, string|array $message, array $excludeUids = [])
 * @method int trigger(string|array $channels, string $event, mixed $data, ?string $socketId = null, ?string $app = null)
 * @method int getGroupConnectionCount(string $group)
 * @method array getGroupUids(string $group)
 * @method array getUidGroups(string|int $uid)
 * @method int getAllConnectionCount()
 * @method int getAllUidCount()
 * @method array getUidList(int $cursor = 0, int $limit = 1000)
 * @method bool isUidOnline(string|int $uid)
 * @method int getUidConnectionCount(string|int $uid)
 * @method int kickUid(string|int $uid)
 * @method array status()
 * @method void close()
 * @method static bool send(string|int|array $uid, string|array $message)
 * @method static int sendCount(string|int|array $uid, string|array $message)
 * @method static int broadcast(string|array $message, array $excludeUids = [])
 * @method static array sendBatch(array $messages)
 * @method static bool joinGroup(string $group, string|int|array $uid)
 * @method static bool leaveGroup(string $group, string|int|array $uid)
 * @method static int sendToGroup(string $group, string|array $message, array $excludeUids = [])
 * @method static int trigger(string|array $channels, string $event, mixed $data, ?string $socketId = null, ?string $app = null)
 * @method static int getGroupConnectionCount(string $group)
 * @method static array getGroupUids(string $group)
 * @method static array getUidGroups(string|int $uid)
 * @method static int getAllConnectionCount()
 * @method static int getAllUidCount()
 * @method static array getUidList(int $cursor = 0, int $limit = 1000)
 * @method static bool isUidOnline(string|int $uid)
 * @method static int getUidConnectionCount(string|int $uid)
 * @method static int kickUid(string|int $uid)
 * @method static array status()
 * @method static void close()
 *
 * @strict-properties
 * @not-serializable
 */
final class Client
{
    /**
     * $address like "tcp://127.0.0.1:5678" (a push server's Text port), or
     * "redis://[:password@]host:port[/db][?prefix=push:]" to publish to every push server of a
     * cluster through Redis (the prefix must be the servers' redis_prefix; the address is taken
     * as written, without '%' escapes, as the servers take it). With redis:// only send(),
     * broadcast(), sendToGroup(), kickUid(), sendBatch() and close() work; any other method
     * (trigger() too) throws Push\ProtocolException.
     * Options: timeout (float seconds), secret (string; the Text secret, unused with redis://),
     * persistent (bool).
     */
    public function __construct(?string $address = null, array $options = []) {}

    /**
     * true: at least one connection got it; false: no connection of the uid(s).
     * With redis://, true means at least one push server received the message and false that
     * no push server listens: it cannot tell whether the uid is online anywhere.
     */
    protected function send(string|int|array $uid, string|array $message): bool {}

    /** Like send() but returns how many connections got it. */
    protected function sendCount(string|int|array $uid, string|array $message): int {}

    /**
     * Pushes to every connection but those of the excluded uids; returns how many got it
     * (with redis://, how many push servers received it).
     */
    protected function broadcast(string|array $message, array $excludeUids = []): int {}

    /**
     * Many pushes in few round trips (pipelined): $messages is a list of [uid, message] pairs.
     * Returns one bool per pair, in order: true when at least one connection got it (or it was queued);
     * with redis://, true when at least one push server received it (as for send()).
     * @return list<bool>
     */
    protected function sendBatch(array $messages): array {}

    /** Puts a uid (all its connections, while it is online) in a group; false if nothing changed. */
    protected function joinGroup(string $group, string|int|array $uid): bool {}

    protected function leaveGroup(string $group, string|int|array $uid): bool {}

    /**
     * Pushes to every connection in the group but those of the excluded uids; returns how many got it
     * (with redis://, how many push servers received it).
     */
    protected function sendToGroup(string $group, string|array $message, array $excludeUids = []): int {}

    /**
     * A Pusher protocol event (docs/PUSHER.md) on one channel or several: every connection
     * subscribed gets {"event":$event,"channel":..,"data":..}. $data goes out as is when it is a
     * string, JSON-encoded otherwise, as Pusher's SDKs send it. $socketId: that connection is
     * skipped (Laravel's toOthers()). $app: the app id, needed when the server has several.
     * Returns how many connections got it. Text port only.
     */
    protected function trigger(string|array $channels, string $event, mixed $data, ?string $socketId = null, ?string $app = null): int {}

    protected function getGroupConnectionCount(string $group): int {}

    /** @return list<string> */
    protected function getGroupUids(string $group): array {}

    /** @return list<string> */
    protected function getUidGroups(string|int $uid): array {}

    protected function getAllConnectionCount(): int {}

    protected function getAllUidCount(): int {}

    /**
     * One page of the online uids; pass 'next' back as $cursor until it is null.
     * @return array{uids: list<string>, next: ?int, total: int}
     */
    protected function getUidList(int $cursor = 0, int $limit = 1000): array {}

    protected function isUidOnline(string|int $uid): bool {}

    protected function getUidConnectionCount(string|int $uid): int {}

    /** Closes the uid's connections; returns how many (with redis://, how many push servers received it). */
    protected function kickUid(string|int $uid): int {}

    /** The server's counters. */
    protected function status(): array {}

    /** Closes the connection to the server (the next call reconnects). */
    protected function close(): void {}

    /** A signed token for $uid valid for $ttl seconds, for the browser's first message or ?token=. */
    public static function token(string|int $uid, int $ttl = 3600, ?string $secret = null): string {}

    /**
     * $client->name(...$arguments): runs the protected method name on this client.
     * Only the methods above; any other name is an undefined method.
     */
    public function __call(string $name, array $arguments): mixed {}

    /** Push\Client::name(...$arguments): runs the protected method name on the default client. */
    public static function __callStatic(string $name, array $arguments): mixed {}
}

}

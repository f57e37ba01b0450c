<?php
/*
 * Loads Workerman for the recipe's push.php, from outside this repository:
 *   WORKERMAN_DIR  a checkout of workerman/workerman (4.x: Autoloader.php at its top;
 *                  5.x: src/, with workerman/coroutine in WORKERMAN_COROUTINE_DIR or
 *                  its coroutine/), or a Composer project that requires it (vendor/autoload.php).
 *   otherwise      ./vendor/autoload.php beside this file (composer require workerman/workerman).
 * RECIPE_RUN_DIR (optional): where Workerman keeps its pid, status and log files.
 */
$dir = getenv('WORKERMAN_DIR') ?: __DIR__;
if (is_file("$dir/vendor/autoload.php")) {
    require_once "$dir/vendor/autoload.php";
} elseif (is_file("$dir/Autoloader.php")) {
    require_once "$dir/Autoloader.php";
} elseif (is_file("$dir/src/Worker.php")) {
    // 5.x from a checkout: PSR-4, plus workerman/coroutine (its dependency) from
    // WORKERMAN_COROUTINE_DIR or $dir/coroutine
    $cor = getenv('WORKERMAN_COROUTINE_DIR') ?: "$dir/coroutine";
    spl_autoload_register(function (string $class) use ($dir, $cor): void {
        foreach (['Workerman\\Coroutine\\' => "$cor/src/", 'Workerman\\' => "$dir/src/"] as $ns => $base) {
            if (strncmp($class, $ns, strlen($ns)) === 0) {
                $file = $base . str_replace('\\', '/', substr($class, strlen($ns))) . '.php';
                if (is_file($file)) {
                    require $file;
                    return;
                }
            }
        }
    });
} else {
    fwrite(STDERR, "Workerman not found: set WORKERMAN_DIR to a checkout of workerman/workerman\n");
    exit(2);
}
if ($run = getenv('RECIPE_RUN_DIR')) {
    Workerman\Worker::$pidFile = "$run/workerman.pid";
    Workerman\Worker::$logFile = "$run/workerman.log";
    Workerman\Worker::$stdoutFile = "$run/workerman.stdout";
    if (property_exists(Workerman\Worker::class, 'statusFile')) {
        Workerman\Worker::$statusFile = "$run/workerman.status";
    }
}

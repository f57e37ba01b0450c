<?php

namespace App\Http\Controllers;

use Illuminate\Http\JsonResponse;
use Illuminate\Http\Request;

/*
 * The recipe's backend step as a Laravel action: push the task's progress to the browsers of
 * one uid. Push\Client comes from the push extension (php.ini: extension=push.so and
 * push.client_address); its connection to the push server is reused across requests.
 */
class PushController extends Controller
{
    public function send(Request $request, string $uid): JsonResponse
    {
        try {
            $sent = \Push\Client::send($uid, ['percent' => (int) $request->query('percent', 88)]);
        } catch (\Push\Exception $e) {
            return response()->json(['uid' => $uid, 'error' => $e->getMessage()], 503);
        }

        // true: at least one browser of $uid got it; false: $uid is not online
        return response()->json(['uid' => $uid, 'sent' => $sent]);
    }
}

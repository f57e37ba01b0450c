<?php

use App\Http\Controllers\PushController;
use Illuminate\Support\Facades\Route;

Route::get('/', function () {
    return view('welcome');
});

// GET /push/uid1?percent=88 -> {"uid":"uid1","sent":true}
Route::get('/push/{uid}', [PushController::class, 'send']);

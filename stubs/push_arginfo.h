/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 41712e9f1fb27e3b01c3bcf51f43d9f300798906 */

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_Push_Server___construct, 0, 0, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_Server_onStart, 0, 1, IS_STATIC, 0)
	ZEND_ARG_TYPE_INFO(0, callback, IS_CALLABLE, 1)
ZEND_END_ARG_INFO()

#define arginfo_class_Push_Server_onConnect arginfo_class_Push_Server_onStart

#define arginfo_class_Push_Server_onMessage arginfo_class_Push_Server_onStart

#define arginfo_class_Push_Server_onClose arginfo_class_Push_Server_onStart

#define arginfo_class_Push_Server_onAuth arginfo_class_Push_Server_onStart

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_Server_run, 0, 0, IS_VOID, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_Server_start, 0, 0, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, argv, IS_ARRAY, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_Server_stop, 0, 0, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, graceful, _IS_BOOL, 0, "true")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_Server_send, 0, 2, _IS_BOOL, 0)
	ZEND_ARG_TYPE_MASK(0, uid, MAY_BE_STRING|MAY_BE_LONG|MAY_BE_ARRAY, NULL)
	ZEND_ARG_TYPE_MASK(0, message, MAY_BE_STRING|MAY_BE_ARRAY, NULL)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_Server_sendToUid, 0, 2, IS_LONG, 0)
	ZEND_ARG_TYPE_MASK(0, uid, MAY_BE_STRING|MAY_BE_LONG|MAY_BE_ARRAY, NULL)
	ZEND_ARG_TYPE_MASK(0, message, MAY_BE_STRING|MAY_BE_ARRAY, NULL)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_Server_sendBatch, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, messages, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_Server_broadcast, 0, 1, IS_LONG, 0)
	ZEND_ARG_TYPE_MASK(0, message, MAY_BE_STRING|MAY_BE_ARRAY, NULL)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, excludeUids, IS_ARRAY, 0, "[]")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, excludeConnections, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_Server_sendToGroup, 0, 2, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, group, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, message, MAY_BE_STRING|MAY_BE_ARRAY, NULL)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, excludeUids, IS_ARRAY, 0, "[]")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, excludeConnections, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_Server_joinGroup, 0, 2, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, group, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, uid, MAY_BE_STRING|MAY_BE_LONG|MAY_BE_ARRAY, NULL)
ZEND_END_ARG_INFO()

#define arginfo_class_Push_Server_leaveGroup arginfo_class_Push_Server_joinGroup

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_Server_getGroupConnectionCount, 0, 1, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, group, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_Server_getGroupUids, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, group, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_Server_getUidGroups, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_TYPE_MASK(0, uid, MAY_BE_STRING|MAY_BE_LONG, NULL)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_Server_getAllConnectionCount, 0, 0, IS_LONG, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Push_Server_getAllUidCount arginfo_class_Push_Server_getAllConnectionCount

#define arginfo_class_Push_Server_getAllGroupCount arginfo_class_Push_Server_getAllConnectionCount

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_Server_getUidList, 0, 0, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, cursor, IS_LONG, 0, "0")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, limit, IS_LONG, 0, "1000")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_Server_isUidOnline, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_MASK(0, uid, MAY_BE_STRING|MAY_BE_LONG, NULL)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_Server_getUidConnectionCount, 0, 1, IS_LONG, 0)
	ZEND_ARG_TYPE_MASK(0, uid, MAY_BE_STRING|MAY_BE_LONG, NULL)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_Server_kickUid, 0, 1, IS_LONG, 0)
	ZEND_ARG_TYPE_MASK(0, uid, MAY_BE_STRING|MAY_BE_LONG, NULL)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, reason, IS_STRING, 0, "\"\"")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_Server_getStats, 0, 0, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_Server_addTimer, 0, 2, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, interval, IS_DOUBLE, 0)
	ZEND_ARG_TYPE_INFO(0, callback, IS_CALLABLE, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, repeat, _IS_BOOL, 0, "true")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_Server_clearTimer, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, id, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_OBJ_INFO_EX(arginfo_class_Push_Server_getConnection, 0, 1, Push\\Connection, 1)
	ZEND_ARG_TYPE_INFO(0, id, IS_LONG, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Push_Server_getWsPort arginfo_class_Push_Server_getAllConnectionCount

#define arginfo_class_Push_Server_getTextPort arginfo_class_Push_Server_getAllConnectionCount

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_Push_Connection___construct, 0, 0, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_Connection_send, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, message, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_Connection_close, 0, 0, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, code, IS_LONG, 0, "1000")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, reason, IS_STRING, 0, "\"\"")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_Connection_isOpen, 0, 0, _IS_BOOL, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_Connection_joinGroup, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, group, IS_STRING, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Push_Connection_leaveGroup arginfo_class_Push_Connection_joinGroup

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_Push_RemoteServer___construct, 0, 0, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, address, IS_STRING, 1, "null")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

#define arginfo_class_Push_RemoteServer_send arginfo_class_Push_Server_send

#define arginfo_class_Push_RemoteServer_sendToUid arginfo_class_Push_Server_sendToUid

#define arginfo_class_Push_RemoteServer_sendBatch arginfo_class_Push_Server_sendBatch

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_RemoteServer_broadcast, 0, 1, IS_LONG, 0)
	ZEND_ARG_TYPE_MASK(0, message, MAY_BE_STRING|MAY_BE_ARRAY, NULL)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, excludeUids, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_RemoteServer_sendToGroup, 0, 2, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, group, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, message, MAY_BE_STRING|MAY_BE_ARRAY, NULL)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, excludeUids, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

#define arginfo_class_Push_RemoteServer_joinGroup arginfo_class_Push_Server_joinGroup

#define arginfo_class_Push_RemoteServer_leaveGroup arginfo_class_Push_Server_joinGroup

#define arginfo_class_Push_RemoteServer_getGroupConnectionCount arginfo_class_Push_Server_getGroupConnectionCount

#define arginfo_class_Push_RemoteServer_getGroupUids arginfo_class_Push_Server_getGroupUids

#define arginfo_class_Push_RemoteServer_getUidGroups arginfo_class_Push_Server_getUidGroups

#define arginfo_class_Push_RemoteServer_getAllConnectionCount arginfo_class_Push_Server_getAllConnectionCount

#define arginfo_class_Push_RemoteServer_getAllUidCount arginfo_class_Push_Server_getAllConnectionCount

#define arginfo_class_Push_RemoteServer_getAllGroupCount arginfo_class_Push_Server_getAllConnectionCount

#define arginfo_class_Push_RemoteServer_getUidList arginfo_class_Push_Server_getUidList

#define arginfo_class_Push_RemoteServer_isUidOnline arginfo_class_Push_Server_isUidOnline

#define arginfo_class_Push_RemoteServer_getUidConnectionCount arginfo_class_Push_Server_getUidConnectionCount

#define arginfo_class_Push_RemoteServer_kickUid arginfo_class_Push_Server_kickUid

#define arginfo_class_Push_RemoteServer_getStats arginfo_class_Push_Server_getStats

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_RemoteServer_trigger, 0, 3, IS_LONG, 0)
	ZEND_ARG_TYPE_MASK(0, channels, MAY_BE_STRING|MAY_BE_ARRAY, NULL)
	ZEND_ARG_TYPE_INFO(0, event, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, data, IS_MIXED, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, socketId, IS_STRING, 1, "null")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, app, IS_STRING, 1, "null")
ZEND_END_ARG_INFO()

#define arginfo_class_Push_RemoteServer_close arginfo_class_Push_Server_run

#define arginfo_class_Push_Client___construct arginfo_class_Push_Connection___construct

#define arginfo_class_Push_Client_send arginfo_class_Push_Server_send

#define arginfo_class_Push_Client_sendToUid arginfo_class_Push_Server_sendToUid

#define arginfo_class_Push_Client_sendBatch arginfo_class_Push_Server_sendBatch

#define arginfo_class_Push_Client_broadcast arginfo_class_Push_RemoteServer_broadcast

#define arginfo_class_Push_Client_sendToGroup arginfo_class_Push_RemoteServer_sendToGroup

#define arginfo_class_Push_Client_joinGroup arginfo_class_Push_Server_joinGroup

#define arginfo_class_Push_Client_leaveGroup arginfo_class_Push_Server_joinGroup

#define arginfo_class_Push_Client_getGroupConnectionCount arginfo_class_Push_Server_getGroupConnectionCount

#define arginfo_class_Push_Client_getGroupUids arginfo_class_Push_Server_getGroupUids

#define arginfo_class_Push_Client_getUidGroups arginfo_class_Push_Server_getUidGroups

#define arginfo_class_Push_Client_getAllConnectionCount arginfo_class_Push_Server_getAllConnectionCount

#define arginfo_class_Push_Client_getAllUidCount arginfo_class_Push_Server_getAllConnectionCount

#define arginfo_class_Push_Client_getAllGroupCount arginfo_class_Push_Server_getAllConnectionCount

#define arginfo_class_Push_Client_getUidList arginfo_class_Push_Server_getUidList

#define arginfo_class_Push_Client_isUidOnline arginfo_class_Push_Server_isUidOnline

#define arginfo_class_Push_Client_getUidConnectionCount arginfo_class_Push_Server_getUidConnectionCount

#define arginfo_class_Push_Client_kickUid arginfo_class_Push_Server_kickUid

#define arginfo_class_Push_Client_getStats arginfo_class_Push_Server_getStats

#define arginfo_class_Push_Client_trigger arginfo_class_Push_RemoteServer_trigger

#define arginfo_class_Push_Client_close arginfo_class_Push_Server_run

#define arginfo_class_Push_Client_sendCount arginfo_class_Push_Server_sendToUid

#define arginfo_class_Push_Client_status arginfo_class_Push_Server_getStats

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Push_Client_token, 0, 1, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, uid, MAY_BE_STRING|MAY_BE_LONG, NULL)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, ttl, IS_LONG, 0, "3600")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, secret, IS_STRING, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_OBJ_INFO_EX(arginfo_class_Push_Client_instance, 0, 0, Push\\RemoteServer, 0)
ZEND_END_ARG_INFO()


ZEND_METHOD(Push_Server, __construct);
ZEND_METHOD(Push_Server, onStart);
ZEND_METHOD(Push_Server, onConnect);
ZEND_METHOD(Push_Server, onMessage);
ZEND_METHOD(Push_Server, onClose);
ZEND_METHOD(Push_Server, onAuth);
ZEND_METHOD(Push_Server, run);
ZEND_METHOD(Push_Server, start);
ZEND_METHOD(Push_Server, stop);
ZEND_METHOD(Push_Server, send);
ZEND_METHOD(Push_Server, sendToUid);
ZEND_METHOD(Push_Server, sendBatch);
ZEND_METHOD(Push_Server, broadcast);
ZEND_METHOD(Push_Server, sendToGroup);
ZEND_METHOD(Push_Server, joinGroup);
ZEND_METHOD(Push_Server, leaveGroup);
ZEND_METHOD(Push_Server, getGroupConnectionCount);
ZEND_METHOD(Push_Server, getGroupUids);
ZEND_METHOD(Push_Server, getUidGroups);
ZEND_METHOD(Push_Server, getAllConnectionCount);
ZEND_METHOD(Push_Server, getAllUidCount);
ZEND_METHOD(Push_Server, getAllGroupCount);
ZEND_METHOD(Push_Server, getUidList);
ZEND_METHOD(Push_Server, isUidOnline);
ZEND_METHOD(Push_Server, getUidConnectionCount);
ZEND_METHOD(Push_Server, kickUid);
ZEND_METHOD(Push_Server, getStats);
ZEND_METHOD(Push_Server, addTimer);
ZEND_METHOD(Push_Server, clearTimer);
ZEND_METHOD(Push_Server, getConnection);
ZEND_METHOD(Push_Server, getWsPort);
ZEND_METHOD(Push_Server, getTextPort);
ZEND_METHOD(Push_Connection, __construct);
ZEND_METHOD(Push_Connection, send);
ZEND_METHOD(Push_Connection, close);
ZEND_METHOD(Push_Connection, isOpen);
ZEND_METHOD(Push_Connection, joinGroup);
ZEND_METHOD(Push_Connection, leaveGroup);
ZEND_METHOD(Push_RemoteServer, __construct);
ZEND_METHOD(Push_RemoteServer, send);
ZEND_METHOD(Push_RemoteServer, sendToUid);
ZEND_METHOD(Push_RemoteServer, sendBatch);
ZEND_METHOD(Push_RemoteServer, broadcast);
ZEND_METHOD(Push_RemoteServer, sendToGroup);
ZEND_METHOD(Push_RemoteServer, joinGroup);
ZEND_METHOD(Push_RemoteServer, leaveGroup);
ZEND_METHOD(Push_RemoteServer, getGroupConnectionCount);
ZEND_METHOD(Push_RemoteServer, getGroupUids);
ZEND_METHOD(Push_RemoteServer, getUidGroups);
ZEND_METHOD(Push_RemoteServer, getAllConnectionCount);
ZEND_METHOD(Push_RemoteServer, getAllUidCount);
ZEND_METHOD(Push_RemoteServer, getAllGroupCount);
ZEND_METHOD(Push_RemoteServer, getUidList);
ZEND_METHOD(Push_RemoteServer, isUidOnline);
ZEND_METHOD(Push_RemoteServer, getUidConnectionCount);
ZEND_METHOD(Push_RemoteServer, kickUid);
ZEND_METHOD(Push_RemoteServer, getStats);
ZEND_METHOD(Push_RemoteServer, trigger);
ZEND_METHOD(Push_RemoteServer, close);
ZEND_METHOD(Push_Client, __construct);
ZEND_METHOD(Push_Client, token);
ZEND_METHOD(Push_Client, instance);


static const zend_function_entry class_Push_Exception_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Push_ConnectionException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Push_ProtocolException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Push_ServerException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Push_ServerNotRunningException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Push_Server_methods[] = {
	ZEND_ME(Push_Server, __construct, arginfo_class_Push_Server___construct, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, onStart, arginfo_class_Push_Server_onStart, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, onConnect, arginfo_class_Push_Server_onConnect, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, onMessage, arginfo_class_Push_Server_onMessage, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, onClose, arginfo_class_Push_Server_onClose, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, onAuth, arginfo_class_Push_Server_onAuth, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, run, arginfo_class_Push_Server_run, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, start, arginfo_class_Push_Server_start, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, stop, arginfo_class_Push_Server_stop, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, send, arginfo_class_Push_Server_send, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, sendToUid, arginfo_class_Push_Server_sendToUid, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, sendBatch, arginfo_class_Push_Server_sendBatch, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, broadcast, arginfo_class_Push_Server_broadcast, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, sendToGroup, arginfo_class_Push_Server_sendToGroup, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, joinGroup, arginfo_class_Push_Server_joinGroup, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, leaveGroup, arginfo_class_Push_Server_leaveGroup, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, getGroupConnectionCount, arginfo_class_Push_Server_getGroupConnectionCount, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, getGroupUids, arginfo_class_Push_Server_getGroupUids, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, getUidGroups, arginfo_class_Push_Server_getUidGroups, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, getAllConnectionCount, arginfo_class_Push_Server_getAllConnectionCount, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, getAllUidCount, arginfo_class_Push_Server_getAllUidCount, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, getAllGroupCount, arginfo_class_Push_Server_getAllGroupCount, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, getUidList, arginfo_class_Push_Server_getUidList, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, isUidOnline, arginfo_class_Push_Server_isUidOnline, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, getUidConnectionCount, arginfo_class_Push_Server_getUidConnectionCount, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, kickUid, arginfo_class_Push_Server_kickUid, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, getStats, arginfo_class_Push_Server_getStats, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, addTimer, arginfo_class_Push_Server_addTimer, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, clearTimer, arginfo_class_Push_Server_clearTimer, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, getConnection, arginfo_class_Push_Server_getConnection, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, getWsPort, arginfo_class_Push_Server_getWsPort, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Server, getTextPort, arginfo_class_Push_Server_getTextPort, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_Push_Connection_methods[] = {
	ZEND_ME(Push_Connection, __construct, arginfo_class_Push_Connection___construct, ZEND_ACC_PRIVATE)
	ZEND_ME(Push_Connection, send, arginfo_class_Push_Connection_send, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Connection, close, arginfo_class_Push_Connection_close, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Connection, isOpen, arginfo_class_Push_Connection_isOpen, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Connection, joinGroup, arginfo_class_Push_Connection_joinGroup, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_Connection, leaveGroup, arginfo_class_Push_Connection_leaveGroup, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_Push_RemoteServer_methods[] = {
	ZEND_ME(Push_RemoteServer, __construct, arginfo_class_Push_RemoteServer___construct, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_RemoteServer, send, arginfo_class_Push_RemoteServer_send, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_RemoteServer, sendToUid, arginfo_class_Push_RemoteServer_sendToUid, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_RemoteServer, sendBatch, arginfo_class_Push_RemoteServer_sendBatch, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_RemoteServer, broadcast, arginfo_class_Push_RemoteServer_broadcast, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_RemoteServer, sendToGroup, arginfo_class_Push_RemoteServer_sendToGroup, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_RemoteServer, joinGroup, arginfo_class_Push_RemoteServer_joinGroup, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_RemoteServer, leaveGroup, arginfo_class_Push_RemoteServer_leaveGroup, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_RemoteServer, getGroupConnectionCount, arginfo_class_Push_RemoteServer_getGroupConnectionCount, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_RemoteServer, getGroupUids, arginfo_class_Push_RemoteServer_getGroupUids, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_RemoteServer, getUidGroups, arginfo_class_Push_RemoteServer_getUidGroups, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_RemoteServer, getAllConnectionCount, arginfo_class_Push_RemoteServer_getAllConnectionCount, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_RemoteServer, getAllUidCount, arginfo_class_Push_RemoteServer_getAllUidCount, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_RemoteServer, getAllGroupCount, arginfo_class_Push_RemoteServer_getAllGroupCount, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_RemoteServer, getUidList, arginfo_class_Push_RemoteServer_getUidList, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_RemoteServer, isUidOnline, arginfo_class_Push_RemoteServer_isUidOnline, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_RemoteServer, getUidConnectionCount, arginfo_class_Push_RemoteServer_getUidConnectionCount, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_RemoteServer, kickUid, arginfo_class_Push_RemoteServer_kickUid, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_RemoteServer, getStats, arginfo_class_Push_RemoteServer_getStats, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_RemoteServer, trigger, arginfo_class_Push_RemoteServer_trigger, ZEND_ACC_PUBLIC)
	ZEND_ME(Push_RemoteServer, close, arginfo_class_Push_RemoteServer_close, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_Push_Client_methods[] = {
	ZEND_ME(Push_Client, __construct, arginfo_class_Push_Client___construct, ZEND_ACC_PRIVATE)
	ZEND_MALIAS(Push_RemoteServer, send, send, arginfo_class_Push_Client_send, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_MALIAS(Push_RemoteServer, sendToUid, sendToUid, arginfo_class_Push_Client_sendToUid, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_MALIAS(Push_RemoteServer, sendBatch, sendBatch, arginfo_class_Push_Client_sendBatch, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_MALIAS(Push_RemoteServer, broadcast, broadcast, arginfo_class_Push_Client_broadcast, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_MALIAS(Push_RemoteServer, sendToGroup, sendToGroup, arginfo_class_Push_Client_sendToGroup, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_MALIAS(Push_RemoteServer, joinGroup, joinGroup, arginfo_class_Push_Client_joinGroup, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_MALIAS(Push_RemoteServer, leaveGroup, leaveGroup, arginfo_class_Push_Client_leaveGroup, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_MALIAS(Push_RemoteServer, getGroupConnectionCount, getGroupConnectionCount, arginfo_class_Push_Client_getGroupConnectionCount, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_MALIAS(Push_RemoteServer, getGroupUids, getGroupUids, arginfo_class_Push_Client_getGroupUids, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_MALIAS(Push_RemoteServer, getUidGroups, getUidGroups, arginfo_class_Push_Client_getUidGroups, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_MALIAS(Push_RemoteServer, getAllConnectionCount, getAllConnectionCount, arginfo_class_Push_Client_getAllConnectionCount, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_MALIAS(Push_RemoteServer, getAllUidCount, getAllUidCount, arginfo_class_Push_Client_getAllUidCount, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_MALIAS(Push_RemoteServer, getAllGroupCount, getAllGroupCount, arginfo_class_Push_Client_getAllGroupCount, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_MALIAS(Push_RemoteServer, getUidList, getUidList, arginfo_class_Push_Client_getUidList, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_MALIAS(Push_RemoteServer, isUidOnline, isUidOnline, arginfo_class_Push_Client_isUidOnline, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_MALIAS(Push_RemoteServer, getUidConnectionCount, getUidConnectionCount, arginfo_class_Push_Client_getUidConnectionCount, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_MALIAS(Push_RemoteServer, kickUid, kickUid, arginfo_class_Push_Client_kickUid, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_MALIAS(Push_RemoteServer, getStats, getStats, arginfo_class_Push_Client_getStats, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_MALIAS(Push_RemoteServer, trigger, trigger, arginfo_class_Push_Client_trigger, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_MALIAS(Push_RemoteServer, close, close, arginfo_class_Push_Client_close, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_MALIAS(Push_RemoteServer, sendCount, sendToUid, arginfo_class_Push_Client_sendCount, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC|ZEND_ACC_DEPRECATED)
	ZEND_MALIAS(Push_RemoteServer, status, getStats, arginfo_class_Push_Client_status, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC|ZEND_ACC_DEPRECATED)
	ZEND_ME(Push_Client, token, arginfo_class_Push_Client_token, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(Push_Client, instance, arginfo_class_Push_Client_instance, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_FE_END
};

static zend_class_entry *register_class_Push_Exception(zend_class_entry *class_entry_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Push", "Exception", class_Push_Exception_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Exception);

	return class_entry;
}

static zend_class_entry *register_class_Push_ConnectionException(zend_class_entry *class_entry_Push_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Push", "ConnectionException", class_Push_ConnectionException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Push_Exception);

	return class_entry;
}

static zend_class_entry *register_class_Push_ProtocolException(zend_class_entry *class_entry_Push_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Push", "ProtocolException", class_Push_ProtocolException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Push_Exception);

	return class_entry;
}

static zend_class_entry *register_class_Push_ServerException(zend_class_entry *class_entry_Push_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Push", "ServerException", class_Push_ServerException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Push_Exception);

	return class_entry;
}

static zend_class_entry *register_class_Push_ServerNotRunningException(zend_class_entry *class_entry_Push_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Push", "ServerNotRunningException", class_Push_ServerNotRunningException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Push_Exception);

	return class_entry;
}

static zend_class_entry *register_class_Push_Server(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Push", "Server", class_Push_Server_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	zval const_CLOSE_NORMAL_value;
	ZVAL_LONG(&const_CLOSE_NORMAL_value, PUSH_CLOSE_NORMAL);
	zend_string *const_CLOSE_NORMAL_name = zend_string_init_interned("CLOSE_NORMAL", sizeof("CLOSE_NORMAL") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_CLOSE_NORMAL_name, &const_CLOSE_NORMAL_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_CLOSE_NORMAL_name);

	zval const_CLOSE_GOING_AWAY_value;
	ZVAL_LONG(&const_CLOSE_GOING_AWAY_value, PUSH_CLOSE_GOING_AWAY);
	zend_string *const_CLOSE_GOING_AWAY_name = zend_string_init_interned("CLOSE_GOING_AWAY", sizeof("CLOSE_GOING_AWAY") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_CLOSE_GOING_AWAY_name, &const_CLOSE_GOING_AWAY_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_CLOSE_GOING_AWAY_name);

	zval const_CLOSE_TOO_BIG_value;
	ZVAL_LONG(&const_CLOSE_TOO_BIG_value, PUSH_CLOSE_TOO_BIG);
	zend_string *const_CLOSE_TOO_BIG_name = zend_string_init_interned("CLOSE_TOO_BIG", sizeof("CLOSE_TOO_BIG") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_CLOSE_TOO_BIG_name, &const_CLOSE_TOO_BIG_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_CLOSE_TOO_BIG_name);

	zval const_CLOSE_BAD_TOKEN_value;
	ZVAL_LONG(&const_CLOSE_BAD_TOKEN_value, PUSH_CLOSE_BAD_TOKEN);
	zend_string *const_CLOSE_BAD_TOKEN_name = zend_string_init_interned("CLOSE_BAD_TOKEN", sizeof("CLOSE_BAD_TOKEN") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_CLOSE_BAD_TOKEN_name, &const_CLOSE_BAD_TOKEN_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_CLOSE_BAD_TOKEN_name);

	zval const_CLOSE_EXPIRED_value;
	ZVAL_LONG(&const_CLOSE_EXPIRED_value, PUSH_CLOSE_EXPIRED);
	zend_string *const_CLOSE_EXPIRED_name = zend_string_init_interned("CLOSE_EXPIRED", sizeof("CLOSE_EXPIRED") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_CLOSE_EXPIRED_name, &const_CLOSE_EXPIRED_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_CLOSE_EXPIRED_name);

	zval const_CLOSE_REFUSED_value;
	ZVAL_LONG(&const_CLOSE_REFUSED_value, PUSH_CLOSE_REFUSED);
	zend_string *const_CLOSE_REFUSED_name = zend_string_init_interned("CLOSE_REFUSED", sizeof("CLOSE_REFUSED") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_CLOSE_REFUSED_name, &const_CLOSE_REFUSED_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_CLOSE_REFUSED_name);

	zval const_CLOSE_AUTH_TIMEOUT_value;
	ZVAL_LONG(&const_CLOSE_AUTH_TIMEOUT_value, PUSH_CLOSE_AUTH_TIMEOUT);
	zend_string *const_CLOSE_AUTH_TIMEOUT_name = zend_string_init_interned("CLOSE_AUTH_TIMEOUT", sizeof("CLOSE_AUTH_TIMEOUT") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_CLOSE_AUTH_TIMEOUT_name, &const_CLOSE_AUTH_TIMEOUT_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_CLOSE_AUTH_TIMEOUT_name);

	zval const_CLOSE_BAD_UID_value;
	ZVAL_LONG(&const_CLOSE_BAD_UID_value, PUSH_CLOSE_BAD_UID);
	zend_string *const_CLOSE_BAD_UID_name = zend_string_init_interned("CLOSE_BAD_UID", sizeof("CLOSE_BAD_UID") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_CLOSE_BAD_UID_name, &const_CLOSE_BAD_UID_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_CLOSE_BAD_UID_name);

	zval const_CLOSE_SLOW_CONSUMER_value;
	ZVAL_LONG(&const_CLOSE_SLOW_CONSUMER_value, PUSH_CLOSE_SLOW);
	zend_string *const_CLOSE_SLOW_CONSUMER_name = zend_string_init_interned("CLOSE_SLOW_CONSUMER", sizeof("CLOSE_SLOW_CONSUMER") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_CLOSE_SLOW_CONSUMER_name, &const_CLOSE_SLOW_CONSUMER_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_CLOSE_SLOW_CONSUMER_name);

	zval const_CLOSE_KICKED_value;
	ZVAL_LONG(&const_CLOSE_KICKED_value, PUSH_CLOSE_KICKED);
	zend_string *const_CLOSE_KICKED_name = zend_string_init_interned("CLOSE_KICKED", sizeof("CLOSE_KICKED") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_CLOSE_KICKED_name, &const_CLOSE_KICKED_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_CLOSE_KICKED_name);

	zval const_CLOSE_HEARTBEAT_value;
	ZVAL_LONG(&const_CLOSE_HEARTBEAT_value, PUSH_CLOSE_HEARTBEAT);
	zend_string *const_CLOSE_HEARTBEAT_name = zend_string_init_interned("CLOSE_HEARTBEAT", sizeof("CLOSE_HEARTBEAT") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_CLOSE_HEARTBEAT_name, &const_CLOSE_HEARTBEAT_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_CLOSE_HEARTBEAT_name);

	return class_entry;
}

static zend_class_entry *register_class_Push_Connection(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Push", "Connection", class_Push_Connection_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	zval property_id_default_value;
	ZVAL_UNDEF(&property_id_default_value);
	zend_string *property_id_name = zend_string_init("id", sizeof("id") - 1, 1);
	zend_declare_typed_property(class_entry, property_id_name, &property_id_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG));
	zend_string_release(property_id_name);

	zval property_uid_default_value;
	ZVAL_UNDEF(&property_uid_default_value);
	zend_string *property_uid_name = zend_string_init("uid", sizeof("uid") - 1, 1);
	zend_declare_typed_property(class_entry, property_uid_name, &property_uid_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING|MAY_BE_NULL));
	zend_string_release(property_uid_name);

	zval property_remoteAddress_default_value;
	ZVAL_UNDEF(&property_remoteAddress_default_value);
	zend_string *property_remoteAddress_name = zend_string_init("remoteAddress", sizeof("remoteAddress") - 1, 1);
	zend_declare_typed_property(class_entry, property_remoteAddress_name, &property_remoteAddress_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING));
	zend_string_release(property_remoteAddress_name);

	return class_entry;
}

static zend_class_entry *register_class_Push_RemoteServer(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Push", "RemoteServer", class_Push_RemoteServer_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	return class_entry;
}

static zend_class_entry *register_class_Push_Client(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Push", "Client", class_Push_Client_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	return class_entry;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-context.h: the shared services handed to every plugin (no globals). */
#pragma once

#include <gio/gio.h>

#include "kontor-account-service.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_CONTEXT (kontor_context_get_type ())

G_DECLARE_FINAL_TYPE (KontorContext, kontor_context, KONTOR, CONTEXT, GObject)

KontorContext *kontor_context_new (GSettings *settings, GDBusConnection *connection);
GSettings *kontor_context_get_settings (KontorContext *self);
GDBusConnection *kontor_context_get_connection (KontorContext *self);
const char *kontor_context_get_object_path (KontorContext *self);
GCancellable *kontor_context_get_cancellable (KontorContext *self);
KontorAccountService *kontor_context_get_account_service (KontorContext *self);
void kontor_context_request_open (KontorContext *self, const char *uri);
void kontor_context_shutdown (KontorContext *self);

G_END_DECLS

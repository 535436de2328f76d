/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-runtime.h: the entry point of libkontor-mail.so, the part of the Mail
 * plugin that needs Camel, WebKit and the account service. The plugin module (opened
 * at start-up) reaches it only through this table, on first need. */
#pragma once

#include <gio/gio.h>

#include "kontor-context.h"

G_BEGIN_DECLS

typedef struct _KontorMailRuntime KontorMailRuntime;

typedef struct
{
  KontorMailRuntime *(*start) (KontorContext *context);
  void (*stop) (KontorMailRuntime *runtime);
  GObject *(*create_page) (KontorMailRuntime *runtime);
  gboolean (*open_uri) (KontorMailRuntime *runtime, const char *uri, GError **error);
  GDBusInterfaceSkeleton *(*dbus_skeleton) (KontorMailRuntime *runtime, GError **error);
} KontorMailRuntimeTable;

#define KONTOR_MAIL_LIBRARY        "kontor-mail"
#define KONTOR_MAIL_RUNTIME_SYMBOL "kontor_mail_runtime_get_table"

const KontorMailRuntimeTable *kontor_mail_runtime_get_table (void);

G_END_DECLS

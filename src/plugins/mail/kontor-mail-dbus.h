/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-dbus.h: io.github.kontor.Mail1 over the mail engine. */
#pragma once

#include <gio/gio.h>

#include "kontor-mail-engine.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_MAIL_DBUS (kontor_mail_dbus_get_type ())

G_DECLARE_FINAL_TYPE (KontorMailDBus, kontor_mail_dbus, KONTOR, MAIL_DBUS, GObject)

KontorMailDBus *kontor_mail_dbus_new (KontorMailEngine *engine);
GDBusInterfaceSkeleton *kontor_mail_dbus_get_skeleton (KontorMailDBus *self);
void kontor_mail_dbus_set_connection (KontorMailDBus *self,
                                      GDBusConnection *connection,
                                      const char *object_path);
void kontor_mail_dbus_unexport (KontorMailDBus *self);
void kontor_mail_dbus_watch_outbox (KontorMailDBus *self);
GVariant *kontor_mail_dbus_describe_message (CamelMimeMessage *message, const char *message_id);

/* kontor-mail-dbus-identities.c */
gboolean kontor_mail_dbus_identities_handle (KontorMailEngine *engine,
                                             GDBusMethodInvocation *invocation);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-outbox.h: messages waiting to be sent, kept on disk until the server
 * took them and their copy is in the Sent folder. GTK-free. */
#pragma once

#include <camel/camel.h>

#include "kontor-account-service.h"
#include "kontor-mail-compose.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_MAIL_OUTBOX (kontor_mail_outbox_get_type ())

G_DECLARE_FINAL_TYPE (KontorMailOutbox, kontor_mail_outbox, KONTOR, MAIL_OUTBOX, GObject)

typedef enum
{
  KONTOR_MAIL_OUTBOX_QUEUED,  /* waits for its (next) attempt */
  KONTOR_MAIL_OUTBOX_SENDING, /* being handed to the server */
  KONTOR_MAIL_OUTBOX_FAILED,  /* stays until the user retries or cancels it */
  KONTOR_MAIL_OUTBOX_SENT,    /* the server took it; its copy in Sent is pending */
} KontorMailOutboxState;

struct _KontorMailEngine;

KontorMailOutbox *kontor_mail_outbox_new (struct _KontorMailEngine *engine,
                                          KontorAccountService *accounts,
                                          CamelSession *session,
                                          const char *dir);
void kontor_mail_outbox_set_online (KontorMailOutbox *self, gboolean online);
void kontor_mail_outbox_shutdown (KontorMailOutbox *self);
guint kontor_mail_outbox_get_n_pending (KontorMailOutbox *self);
const char *kontor_mail_outbox_state_to_string (KontorMailOutboxState state);

/* Thread-safe; the _sync ones do disk I/O: call them in a worker thread. */
char *kontor_mail_outbox_queue_sync (KontorMailOutbox *self,
                                     const KontorMailComposeFields *fields,
                                     GCancellable *cancellable,
                                     GError **error);
char *kontor_mail_outbox_queue_held_sync (KontorMailOutbox *self,
                                          const KontorMailComposeFields *fields,
                                          guint delay,
                                          GCancellable *cancellable,
                                          GError **error);
GVariant *kontor_mail_outbox_list (KontorMailOutbox *self);
gint64 kontor_mail_outbox_get_send_after (KontorMailOutbox *self, const char *id);
KontorMailComposeFields *kontor_mail_outbox_take_fields_sync (KontorMailOutbox *self,
                                                              const char *id,
                                                              const char *parts_dir,
                                                              GCancellable *cancellable,
                                                              GError **error);
gboolean kontor_mail_outbox_cancel_sync (KontorMailOutbox *self, const char *id, GError **error);
CamelMimeMessage *kontor_mail_outbox_take_sync (KontorMailOutbox *self,
                                                const char *id,
                                                GCancellable *cancellable,
                                                GError **error);
gboolean kontor_mail_outbox_retry_sync (KontorMailOutbox *self, const char *id, GError **error);

G_END_DECLS

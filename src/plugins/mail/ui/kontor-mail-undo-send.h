/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-undo-send.h: Send from a composer holds the message in the Outbox for
 * the user's undo-send delay; the toast that offers Undo meanwhile. */
#pragma once

#include <adwaita.h>

#include "kontor-mail-compose.h"
#include "kontor-mail-engine.h"

G_BEGIN_DECLS

typedef struct _KontorMailUndoSendJob KontorMailUndoSendJob;

KontorMailUndoSendJob *kontor_mail_undo_send_job_new (KontorMailComposeFields *fields);
void kontor_mail_undo_send_job_free (KontorMailUndoSendJob *job);
gpointer kontor_mail_undo_send_job_run (KontorMailEngine *engine,
                                        gpointer data,
                                        GCancellable *cancellable,
                                        GError **error);
AdwToast *kontor_mail_undo_send_toast_new (KontorMailEngine *engine, const char *id);

G_END_DECLS

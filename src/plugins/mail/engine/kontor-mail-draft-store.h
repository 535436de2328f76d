/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-draft-store.h: drafts on the server. A composer's fields are stored in the
 * Drafts folder of the sending account (flagged \Draft, Bcc kept), replacing the copy
 * stored before, so the folder holds one copy of each draft; a stored draft reads back
 * into a KontorMailDraft for the composer. GTK-free; the _sync calls block. */
#pragma once

#include "kontor-mail-compose.h"
#include "kontor-mail-draft.h"
#include "kontor-mail-engine.h"

G_BEGIN_DECLS

char *kontor_mail_draft_store_sync (KontorMailEngine *engine,
                                    const char *account_id,
                                    const KontorMailComposeFields *fields,
                                    const KontorMailSender *sender,
                                    const char *replaces,
                                    GCancellable *cancellable,
                                    GError **error);
gboolean kontor_mail_draft_remove_sync (KontorMailEngine *engine,
                                        const char *message_id,
                                        GCancellable *cancellable,
                                        GError **error);
gboolean kontor_mail_draft_is_stored (KontorMailEngine *engine, const char *message_id);
KontorMailDraft *kontor_mail_draft_new_from_message (CamelMimeMessage *message);

G_END_DECLS

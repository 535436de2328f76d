/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-composer.h: the window in which a new message, a reply or a forward is
 * written, saved as a draft on disk while typing, and queued in the Outbox. */
#pragma once

#include <adwaita.h>

#include "kontor-address-completion.h"
#include "kontor-mail-draft.h"
#include "kontor-mail-engine.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_MAIL_COMPOSER (kontor_mail_composer_get_type ())

G_DECLARE_FINAL_TYPE (KontorMailComposer,
                      kontor_mail_composer,
                      KONTOR,
                      MAIL_COMPOSER,
                      AdwApplicationWindow)

KontorMailComposer *kontor_mail_composer_new (GtkApplication *application,
                                              KontorMailEngine *engine,
                                              KontorAddressCompletion *completion,
                                              const char *const *senders);
void kontor_mail_composer_set_senders (KontorMailComposer *self, const char *const *senders);
gboolean kontor_mail_composer_has_senders (KontorMailComposer *self);
void kontor_mail_composer_set_draft (KontorMailComposer *self, KontorMailDraft *draft);
void kontor_mail_composer_add_signature (KontorMailComposer *self);
void kontor_mail_composer_set_fields (KontorMailComposer *self,
                                      const KontorMailComposeFields *fields);
void kontor_mail_composer_add_attachment (KontorMailComposer *self, const char *path);
void kontor_mail_composer_restore (KontorMailComposer *self, const char *path, GKeyFile *file);
void kontor_mail_composer_set_draft_path (KontorMailComposer *self, const char *path);
void kontor_mail_composer_toast (KontorMailComposer *self, const char *text);
const char *kontor_mail_composer_get_draft_path (KontorMailComposer *self);
void kontor_mail_composer_set_server_id (KontorMailComposer *self, const char *message_id);
const char *kontor_mail_composer_get_server_id (KontorMailComposer *self);

/* Draft files, in $XDG_DATA_HOME/kontor/mail/drafts */
char *kontor_mail_composer_dup_drafts_dir (void);
void kontor_mail_composer_list_drafts_async (GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer user_data);
GPtrArray *kontor_mail_composer_list_drafts_finish (GAsyncResult *result, GError **error);

G_END_DECLS

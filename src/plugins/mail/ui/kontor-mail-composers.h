/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-composers.h: opens composers (new, from a draft, a reply or a forward,
 * Mail1.Compose, mailto:), reopens the drafts a crash left, and tells the main window
 * when a message was queued. */
#pragma once

#include "kontor-account-service.h"
#include "kontor-mail-compose.h"
#include "kontor-mail-composer.h"
#include "kontor-mail-page.h"
#include "kontor-mail-reply.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_MAIL_COMPOSERS (kontor_mail_composers_get_type ())

G_DECLARE_FINAL_TYPE (KontorMailComposers, kontor_mail_composers, KONTOR, MAIL_COMPOSERS, GObject)

KontorMailComposers *kontor_mail_composers_new (KontorMailEngine *engine,
                                                KontorAccountService *accounts);
void kontor_mail_composers_set_page (KontorMailComposers *self, KontorMailPage *page);
KontorMailComposer *kontor_mail_composers_open (KontorMailComposers *self, KontorMailDraft *draft);
KontorMailComposer *kontor_mail_composers_open_fields (KontorMailComposers *self,
                                                       const KontorMailComposeFields *fields);
void kontor_mail_composers_reply (KontorMailComposers *self,
                                  const char *message_id,
                                  KontorMailReplyMode mode);
void kontor_mail_composers_edit_draft (KontorMailComposers *self, const char *message_id);
void kontor_mail_composers_restore (KontorMailComposers *self);

G_END_DECLS

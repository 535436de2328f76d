/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-composers-edit.h: a message waiting in the Outbox back in a composer. */
#pragma once

#include "kontor-mail-composers.h"

G_BEGIN_DECLS

void kontor_mail_composers_edit_outbox (KontorMailComposers *self,
                                        KontorMailEngine *engine,
                                        KontorMailPage *page,
                                        const char *id);

G_END_DECLS

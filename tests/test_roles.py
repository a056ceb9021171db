"""Blame, passing the buck, talking down and policy walls read from who does what (roles.py),
as `phrasekit check` reports them."""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from phrasekit.cli import cli
from phrasekit.reading import Sentences
from phrasekit.roles import blames, passes_buck, read_roles, talks_down, walls


def families(text: str, channel: str = "chat") -> set[str]:
    result = CliRunner().invoke(cli, ["check", "--channel", channel, "--kind", "reply", "--json", "-"], input=text)
    assert result.exit_code in (0, 1), result.output
    return {finding["family"] for finding in json.loads(result.output)}


@pytest.mark.parametrize(
    "text",
    [
        "Unfortunately the contractor we use in your area didn't update the job, which is why nobody came.",
        "The warehouse has been having a lot of problems lately, to be honest.",
        "I'm afraid the delay is down to the previous agent, who didn't submit the refund request.",
        "Your direct debit failed because our billing system glitched over the weekend.",
        "The address you gave us when you signed up was incomplete.",
        "You'll have missed our driver at 14:10.",
        "That's on the courier's end, not ours.",
        "This was an error on the part of the branch, who processed the transfer incorrectly.",
        "The queues were caused by our ground handling agent, who were short-staffed this morning.",
        "It's our fraud system being overcautious again, I'm afraid.",
        "It seems you selected standard delivery at checkout, which is why it hasn't arrived yet.",
        "Sorry, our delivery partner failed to turn up for your slot.",
        "The Leeds depot mis-sorted it, not our team here, unfortunately.",
    ],
)
def test_blame_in_fresh_wordings_is_found(text):
    assert "blame" in families(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm so sorry our engineer didn't turn up yesterday. I've booked a new visit for Thursday at 9am.",
        "A signal fault near Reading delayed every train this morning; I've sent you the delay-repay form.",
        "That's not the experience you should have had, and I'm sorry.",
        "The backup setting was switched off on 3 November, so I've turned it back on for you.",
        "As the accident wasn't your fault, we'll recover the excess from the other driver's insurer.",
        "The delay was due to a system update overnight, and I've now pushed your order through.",
        "Our engineers will check the whole fleet by Friday.",
    ],
)
def test_a_fault_owned_or_a_cause_explained_is_not_blame(text):
    assert "blame" not in families(text)


@pytest.mark.parametrize(
    "text, channel",
    [
        ("You'd need to raise that with your bank directly.", "chat"),
        ("That one sits with our partner carrier, they'll be best placed to help.", "chat"),
        ("This is really one for our billing team, I'm afraid.", "email"),
        ("Could you try contacting us again tomorrow afternoon?", "chat"),
        ("Please reach out to us by phone here and the team will look at your speeds.", "social"),
        ("Any questions about the excess would need to go to the broker.", "email"),
        ("As this item was sold by a third-party partner, this would be a matter for the retailer.", "email"),
        ("Your repair is handled by our approved garage, so any questions are best directed to them.", "email"),
        ("Please give our broadband team a call on 0330 123 4567 and they'll run some checks for you.", "social"),
        ("Declines are usually down to the shop's terminal, so it's worth having a word with the retailer.", "chat"),
        ("We use another operator's masts, so your network can look into coverage at your postcode.", "chat"),
        ("As you booked through an agent, any refund would have to be requested through them.", "email"),
    ],
)
def test_sending_the_customer_elsewhere_is_passing_the_buck(text, channel):
    assert "pass-the-buck" in families(text, channel)


@pytest.mark.parametrize(
    "text, channel",
    [
        ("I've passed this to our billing team and asked them to call you by 4pm; I'll stay your contact.", "email"),
        ("Please send us a DM with your booking reference and we'll sort it today.", "social"),
        ("Freeze the card in the app now, then call our 24/7 lost and stolen line on 0800 028 4590.", "social"),
        ("You don't need to contact the courier: I've raised the claim with them myself.", "chat"),
        ("Thank you for raising this with us directly.", "email"),
    ],
)
def test_owning_the_handoff_or_moving_to_a_dm_is_not(text, channel):
    assert "pass-the-buck" not in families(text, channel)


@pytest.mark.parametrize(
    "text",
    [
        "As mentioned in my last message, the refund takes 5 days.",
        "Had you checked the sender more carefully, this wouldn't have happened.",
        "Delivery times are clearly shown at checkout, so it's worth having a read before ordering next time.",
        "It's really quite simple: tap Settings, then Reset.",
        "I'd ask you to bear with us like everyone else.",
        "Off-peak means off-peak.",
        "I'm sure you'll appreciate that we cannot control the weather.",
        "For future reference, please check your order carefully before confirming it.",
        "You may not be aware, but most people read their policy wording before making a claim.",
    ],
)
def test_talking_down_in_fresh_wordings_is_condescension(text):
    assert "condescension" in families(text)


@pytest.mark.parametrize(
    "text",
    [
        "As discussed on the phone, I've refunded the £45 today.",
        "Thanks so much for your patience while we sorted this.",
        "Export is in the top right of the dashboard; click it and choose CSV.",
        "What you're asking for is completely reasonable.",
    ],
)
def test_ordinary_helpful_sentences_are_not_condescension(text):
    assert "condescension" not in families(text)


@pytest.mark.parametrize(
    "text",
    [
        "Our terms and conditions state that sale items can't be returned.",
        "Late fees are applied automatically under your agreement and can't be removed.",
        "We can only accept returns with the original receipt. Without it there's no way I can help.",
        "The fraud team's decision is final.",
        "Unfortunately the fare is non-changeable as per the conditions of carriage.",
        "We have reviewed your appeal and our decision remains unchanged.",
        "This is standard procedure for all accounts and cannot be bypassed.",
        "Unfortunately refunds aren't possible after 14 days.",
        "I've checked and your account doesn't qualify for the offer.",
        "The charge is correct and will remain on your account.",
    ],
)
def test_a_rule_given_as_the_answer_is_a_policy_wall(text):
    assert "policy-wall" in families(text)


@pytest.mark.parametrize(
    "text",
    [
        "Used tickets can't be refunded because the journey was taken, but I can refund the unused return leg today.",
        "Deliveries can't be rearranged once the van has left. What I can do is hold it at the depot for you.",
        "Refunds aren't possible after 14 days because the ticket has been used, but I can give you a credit today.",
        "If the parcel can't be traced, would a full refund be a fair way to put this right?",
    ],
)
def test_a_rule_with_its_reason_or_a_way_on_is_not_a_wall(text):
    assert "policy-wall" not in families(text)


def test_a_handoff_the_next_sentence_owns_is_not_passing_the_buck():
    text = "Upgrades are handled by our upgrades team. I'll move you to them now and stay in the chat."
    assert "pass-the-buck" not in families(text)
    assert "pass-the-buck" in families("Upgrades are handled by our upgrades team.")


def test_a_public_reply_sending_the_customer_to_our_phone_line_is_a_shuffle():
    text = "This isn't something we can look at on here, so please give our support line a ring."
    assert "pass-the-buck" in families(text, "social")


def test_but_before_the_rule_is_no_way_on_and_anything_else_is_no_alternative():
    text = "I understand, but the fare rules don't allow name changes. Is there anything else I can help with?"
    assert "policy-wall" in families(text)
    assert "policy-wall" not in families("The fare rules don't allow name changes, but I can rebook you free today.")


@pytest.mark.parametrize(
    "text",
    [
        "I've raised a fault on your line and someone will pick this up as a priority.",
        "We've opened a trace and will update you as things progress.",
        "We'll look at whether a refund is possible and let you know.",
        "Someone from the team will get back to you when they can.",
    ],
)
def test_a_promise_with_no_time_to_hold_it_to_is_vague(text):
    assert "vague-time" in families(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'll call you by 3pm today with the answer.",
        "We'll update you here at 9am tomorrow, whatever the news.",
        "If anything changes, I'll let you know straight away.",
        "I will keep you informed at each stage.",
    ],
)
def test_a_promise_with_a_time_or_a_condition_is_not(text):
    assert "vague-time" not in families(text)


def test_each_reader_returns_its_family_and_where_it_read_it():
    text = "The driver clearly didn't follow the instructions."
    role = blames(text)
    assert role is not None and role.family == "blame" and text[role.start : role.end].startswith("The driver")
    assert passes_buck("You'll need to contact the seller.", public=False).family == "pass-the-buck"
    assert talks_down("As I already told you twice, it ships Monday.").family == "condescension"
    assert walls("Our policy doesn't allow refunds on sale items.").family == "policy-wall"
    assert walls("Our policy doesn't allow it.", "But I can offer you a credit today.") is None


def test_findings_carry_the_draft_offsets():
    text = "Hi Kate. The warehouse picked the wrong item."
    (role,) = read_roles(text, Sentences(text), public=False)
    assert text[role.start : role.end] == "The warehouse picked the wrong"


def test_one_finding_per_sentence_when_a_rule_and_a_role_agree():
    result = CliRunner().invoke(cli, ["check", "--json", "-"], input="Calm down and be patient.\n")
    findings = json.loads(result.output)
    assert [f["family"] for f in findings].count("condescension") == 1


@pytest.mark.parametrize(
    "text",
    [
        "the " * 20000 + "driver " * 5000 + "didn't " * 5000 + "you " * 5000,
        "please call " * 20000 + "the driver",  # once quadratic: each "call" searched the rest for its object
        "because the courier didn't " * 9000,
        "handled by the bank " * 12000,
    ],
    ids=["articles", "calls", "causes", "handled"],
)
def test_a_draft_of_one_endless_sentence_is_read_in_bounded_time(text):
    started = time.monotonic()
    read_roles(text, Sentences(text), public=True)
    assert time.monotonic() - started < 20  # a hang guard, not a timing test (about a second here)


def test_simply_said_of_the_writer_is_not_talking_down():
    assert "condescension" not in families("Our crews start at 6am, so we may simply have missed yours.")
    assert "condescension" in families("Simply restart the router and it will work.")


@pytest.mark.parametrize(
    "text",
    [
        "The restaurant took far too long preparing your order tonight.",
        "Responsibility for the delay lies with the airport's baggage handlers.",
        "This is a known fault with the manufacturer's firmware, not with our service.",
        "Your payment was late, which is why the account was suspended.",
        "The partner who fitted your boiler did not complete the safety checks.",
        "You missed the delivery window we gave you, so it went back to the depot.",
        "The technician we sent clearly didn't know what he was doing.",
        "Baggage is handled by our ground agent, and unfortunately they didn't load your case.",
        "It is the passenger's responsibility to check the travel documents needed.",
        "The claim is on hold because the photos you sent were unclear.",
        "The class was full when you booked, so that isn't something we can be held responsible for.",
    ],
)
def test_blame_put_on_a_partner_or_the_customer_in_agents_wording_is_found(text):
    assert "blame" in families(text, "email")


@pytest.mark.parametrize(
    "text",
    [
        "Unfortunately, we're not in a position to offer a refund on this occasion.",
        "I'm afraid we won't be able to refund the delivery charge.",
        "We won't be making an exception in this case.",
        "All sales are final.",
        "We're bound by the terms of the booking.",
        "Compensation is not payable in this instance.",
        "We have reviewed it, and your appeal has been rejected.",
    ],
)
def test_a_remedy_refused_with_nothing_instead_is_a_policy_wall(text):
    assert "policy-wall" in families(text, "email")


@pytest.mark.parametrize(
    "text",
    [
        "I can't refund the fee, but I've added a £10 credit to your account instead.",
        "I'm sorry, but I can't cover the screen under this policy: accidental damage outside the home was left out "
        "when it was set up. I know that's disappointing. Two things I can do: add gadget cover today, or look at a "
        "repair with our partner.",
        "I'm not able to see that on my screen, could you send me a photo?",
    ],
)
def test_a_remedy_refused_with_an_alternative_or_its_reason_is_not_a_wall(text):
    assert "policy-wall" not in families(text, "email")


def test_a_remedy_at_another_firms_discretion_or_refused_on_this_channel_is_passing_the_buck():
    assert "pass-the-buck" in families("Refunds for postponed shows are at the promoter's discretion.", "sms")
    assert "pass-the-buck" in families("Unfortunately chat isn't able to handle claims.", "chat")


def test_reminders_and_lectures_about_next_time_are_condescension():
    assert "condescension" in families("As outlined in my previous email, keys are under Settings.", "email")
    assert "condescension" in families("Please read the travel information more carefully in future.", "sms")
    assert "condescension" in families("The app clearly shows the class was full.", "chat")


def test_a_short_sentence_said_twice_is_repetition_and_an_outcome_to_follow_has_no_time():
    assert "repetition" in families("Tallyboard: your trial ends today. Your trial ends today. Upgrade now.", "sms")
    assert "repetition" not in families("Thanks! Thanks! See you Friday.", "sms")
    assert "vague-time" in families("Your complaint has been reviewed. Outcome to follow.", "sms")
    assert "vague-time" not in families("Your complaint has been reviewed. Outcome to follow by Friday 5pm.", "sms")


def test_an_address_the_customer_is_asked_to_write_to_is_not_their_private_detail():
    assert "private-details" not in families("Please email claims@harbour.example and we'll reply by 5pm.", "social")
    assert "private-details" in families("We've resent it to jo.smith81@gmail.example, can you check?", "social")
    asked = "Could you reply with the email address and mobile number registered on your account?"
    assert "asks-details-in-public" in families(asked, "social")


@pytest.mark.parametrize(
    "text",
    [
        "Looks like the carrier dropped the ball on this one.",
        "The rep you spoke with should have escalated this.",
        "That's on FedEx, they marked it delivered before it was.",
        "Unfortunately the third-party seller hasn't responded to us.",
        "Our system didn't register your cancellation because it was submitted after 5pm.",
        "The problem is on Apple's side, not ours.",
        "The instructor didn't turn up, so the class was cancelled.",
        "Your prescription isn't ready as the surgery sent it over late again.",
        "The damage will have happened whilst it was in their care.",
        "The delay is at your bank, which is holding the funds.",
        "It wasn't a fault on our network.",
    ],
)
def test_blame_hidden_in_an_explanation_is_found(text):
    assert "blame" in families(text, "email")


@pytest.mark.parametrize(
    "text",
    [
        "So sorry you missed the flight; I've found you a seat on the 18:10 with no change fee.",
        "I'm sorry about this. Our system didn't carry your seat across, so I've put you in 14A.",
        "Power cuts are handled by your local network operator rather than us, so I've checked their map for you.",
        "The carrier has confirmed the parcel is delayed at their hub; I've booked a replacement for tomorrow.",
    ],
)
def test_sympathy_an_owned_system_fault_or_who_handles_what_is_not_blame(text):
    assert "blame" not in families(text, "email")


def test_a_refusal_on_this_channel_is_passing_the_buck_when_it_sends_on_and_a_wall_when_it_does_not():
    assert families("SIM swaps can't be done over SMS. Please visit your nearest store.", "sms") == {"pass-the-buck"}
    assert "policy-wall" in families("This can't be done over the phone or on chat. Thanks for understanding.", "chat")
    assert "pass-the-buck" in families("This inbox is for tech support only. For billing, use the portal.", "email")
    assert "pass-the-buck" in families("We can't reply to messages sent to this number. Please call us.", "sms")
    assert "pass-the-buck" not in families("Please don't post your email here. Send us a DM and we'll help.", "social")
    blocked = "I've blocked the card. Please call the number on the back of it; our fraud team is there 24/7."
    assert "pass-the-buck" not in families(blocked, "social")


@pytest.mark.parametrize(
    "text",
    [
        "We're not obliged to make a third delivery attempt.",
        "Unfortunately we're unable to refund the ticket as it was booked on a Saver fare, which is non-refundable.",
        "This journey wouldn't qualify.",
        "Deleted workspaces are purged after 30 days per our data retention policy.",
        "No further action can be taken.",
    ],
)
def test_a_rule_or_its_restatement_given_as_the_reason_is_a_wall(text):
    assert "policy-wall" in families(text, "email")


def test_a_promise_with_its_time_in_the_sentence_before_is_not_vague():
    text = "If they haven't replied within 2 days, we'll refund you ourselves. I'll update you by email either way."
    assert "vague-time" not in families(text, "chat")


@pytest.mark.parametrize(
    "text",
    [
        "Looking at the audit log, the token was revoked by a user on your workspace at 16:12, which is what stopped "
        "the sync.",
        "We've checked and the code was entered at 00:07, just after the offer ended at midnight.",
        "All our servers were running normally tonight, so buffering like this usually points to the home Wi-Fi.",
        "The order was cancelled because the option was switched on in your account settings.",
        "Our engineer attended at 10:05 and there was no answer at the property, so the install has been closed.",
        "The outage originated with our cloud hosting provider.",
        "The event organiser brought the time forward at short notice and did not inform us.",
        "Unfortunately our courier partner has been experiencing delays in your area.",
        "We've been let down by our delivery partner.",
    ],
)
def test_an_explanation_that_puts_the_cause_on_the_customer_or_a_partner_is_blame(text):
    assert "blame" in families(text, "email")


@pytest.mark.parametrize(
    "text",
    [
        "The app is experiencing some issues at the moment; we're on it and will update you by 3pm.",
        "Because you chose express delivery, it will arrive tomorrow.",
        "I can see the payment was approved in your app at 14:03, so I've frozen the card and opened a fraud claim.",
        "Because Tripnest took your payment, they need to make the change on their side, so I've emailed them for you.",
    ],
)
def test_a_system_status_good_news_or_an_owned_next_step_is_not_blame(text):
    assert "blame" not in families(text, "email")


@pytest.mark.parametrize(
    "text",
    [
        "As this came in the following day we aren't able to help on this occasion.",
        "Annual plans are only refundable within 14 days, so there's nothing that can be done at this stage.",
        "Under Regulation 12.3, appeals received after this date are not considered.",
        "Compensation for lost items is limited to £20.",
        "Your application cannot be progressed because the photograph supplied does not meet the published guidance.",
    ],
)
def test_more_walls_in_agents_words(text):
    assert "policy-wall" in families(text, "email")


@pytest.mark.parametrize(
    "text",
    [
        "As previously advised, refunds take 3-5 working days. Please don't contact us again before then.",
        "As an experienced seller you'll no doubt know that fee changes are announced in the Seller Hub.",
        "Hi Kira, again, this is covered in the FAQ we linked yesterday.",
        "Most members manage this in a couple of minutes. Nothing to it!",
    ],
)
def test_more_talking_down_in_agents_words(text):
    assert "condescension" in families(text, "social")


def test_a_tip_for_next_time_with_the_fix_is_not_talking_down():
    text = "I've added a one-time $45 credit. For next time, our $12/day Travel Pass covers this."
    assert "condescension" not in families(text, "email")


def test_what_a_new_user_tried_reads_as_a_lead_would():
    assert "blame" in families("DPD have been really unreliable this month.", "email")
    assert "blame" in families("I'm sorry about our engineer. He's new.", "email")
    assert "policy-wall" in families("I'm afraid there is nothing further I can do.", "chat")
    assert "pass-the-buck" in families("Please call us on 0161 496 0000 and we'll sort it out.", "social")
    assert "pass-the-buck" not in families(
        "It's on tomorrow's van. Call us on 0330 088 1234 any time if needed.", "chat"
    )
    assert "shouting" in families("I know this is NOT what you wanted to hear.", "email")
    assert "private-details" not in families("Please email your details to help@northwind.example today.", "social")


def test_a_sentence_after_the_first_is_read_from_its_own_first_word():
    draft = "Hi Sam, the courier has been experiencing delays, so it is out of our hands. Please contact them directly."
    result = CliRunner().invoke(cli, ["check", "--channel", "social", "--json", "-"], input=draft)
    findings = json.loads(result.output)
    assert any(f["family"] == "pass-the-buck" and f["excerpt"].startswith("Please contact them") for f in findings)
    assert "pass-the-buck" not in families(
        "Of course! You can ring us on 0330 808 5440, 8am to 8pm every day.", "social"
    )


def test_what_a_lead_reviewing_drafts_tried():
    secret = "To verify you, can you type the full 16 digits of the card plus the 3 numbers on the back?"
    assert "asks-secret" in families(secret, "chat")
    address = (
        "The delivery address on the order was missing the flat number, which is why the driver couldn't find you."
    )
    assert "blame" in families(address, "email")
    assert "blame" not in families("The postcode on the account was missing a letter, so I've corrected it.", "chat")
    assert "blame" in families("The fault is most likely with your ISP rather than our device.", "email")
    assert "condescension" in families("Most customers fix it themselves by restarting the router.", "email")
    assert "policy-wall" in families("There's really nothing more I can do, it's just how returns work here.", "chat")
    refused = families("Hi Gemma, I'm afraid we can't process returns by text message. Thanks.", "sms")
    assert "policy-wall" in refused and "pass-the-buck" not in refused
    assert "pass-the-buck" in families(
        "Please check with your neighbours before raising a complaint with us.", "social"
    )


def test_a_draft_too_long_for_its_channel_suggests_no_unrelated_phrase():
    result = CliRunner().invoke(cli, ["check", "--channel", "sms", "--json", "-"], input="Thanks for waiting. " * 12)
    (finding,) = [f for f in json.loads(result.output) if f["family"] == "too-long"]
    assert not finding["suggestion"]


@pytest.mark.parametrize(
    "text",
    [
        "Your complaint has been escalated and the relevant team will review it.",
        "A member of the team will review your claim and get back to you.",
        "I've raised this with our technical team and they'll look into it.",
        "Your request has been passed to our complaints department, who will respond in writing.",
        "Your repair is booked. An engineer will contact you to arrange a visit.",
    ],
)
def test_a_promise_made_for_another_team_with_no_time_is_vague(text):
    assert "vague-time" in families(text, "email")


@pytest.mark.parametrize(
    "text",
    [
        "Drop us a DM and we'll look into it.",
        "Once you've sent us a private message, we'll pick it up there and keep you posted on every step.",
        "I've raised this with our technical team and they'll call you by 4pm today.",
    ],
)
def test_a_promise_that_waits_on_a_dm_or_names_its_time_is_not(text):
    assert "vague-time" not in families(text, "social")


@pytest.mark.parametrize(
    "text",
    [
        "Your refund will go back to your wallet once it's been approved by the team.",
        "Your complaint has been logged and will be investigated within our standard timescales.",
        "They'll confirm with you nearer the time.",
        "Someone from the team will reach out to sort a credit for you.",
        "Your documents will be sent out to you in the next batch.",
    ],
)
def test_a_promise_held_to_our_own_process_names_no_time(text):
    assert "vague-time" in families(text, "email")


@pytest.mark.parametrize(
    "text",
    [
        "Tap 'notify me' and we'll email you the moment it lands.",
        "We'll never text you a link or ask for your PIN.",
        "We'd love to welcome you back in the future!",
        "You should receive written confirmation by Friday 12 June.",
    ],
)
def test_an_event_a_refusal_to_ask_or_a_pleasantry_is_no_vague_promise(text):
    assert "vague-time" not in families(text, "social")


@pytest.mark.parametrize(
    "text",
    [
        "Our price match promise doesn't cover online marketplaces, so we're unable to match this one.",
        "All memberships carry a 30 day notice period, which is why one further payment was taken.",
        "We can only issue refunds when a photo is submitted within 1 hour, and that window has now passed.",
        "Name changes carry a fee of £85 per passenger under our fare rules, regardless of the reason.",
        "Guest passes are only available to Premium members, so that's not something I can add for you.",
    ],
)
def test_walls_of_notice_periods_windows_and_fees(text):
    assert "policy-wall" in families(text, "email")


def test_a_fee_that_does_not_apply_or_a_rule_with_its_reason_and_a_way_on_is_not_a_wall():
    assert "policy-wall" not in families("I've moved your booking to the 18th. No extra charge applies.", "email")
    named = (
        "Tickets are named to stop touts reselling them, so they can't be passed on. You can list them on our exchange."
    )
    assert "policy-wall" not in families(named, "email")
